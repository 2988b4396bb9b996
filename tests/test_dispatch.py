"""Delivery through real loopback servers: OneSignal stub, aiosmtpd, a webhook receiver, the sandbox."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from aiosmtpd.controller import Controller

from app.delivery.dispatch import Dispatcher
from app.delivery.providers.webhook import signature
from tests.conftest import free_port
from tests.engine_support import add_contacts, counts, journey, outbox, publish, run, track
from tests.stub_servers import OneSignalStub, RecordingServer


@pytest.fixture
def stub() -> Iterator[OneSignalStub]:
    server = OneSignalStub().start()
    yield server
    server.stop()


@pytest.fixture
def onesignal(ctx, stub: OneSignalStub):
    ctx.settings.onesignal_app_id = "app-123"
    ctx.settings.onesignal_api_key = type(ctx.settings.onesignal_api_key)("secret-key")
    ctx.settings.onesignal_host = stub.url
    ctx.settings.provider_timeout_s = 1.0
    return ctx


def push_journey(body: str = "Hello {{ contact.first_name }}", channel: str = "push") -> dict:
    config = {"subject": "Hi", "body": body} if channel == "email" else {"body": body}
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", f"message.{channel}", config), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )


def dispatch(ctx, after: timedelta | None = None) -> int:
    if after:
        ctx.clock.advance(after)
    dispatcher = Dispatcher(ctx)
    try:
        return dispatcher.run()
    finally:
        dispatcher.close()


def test_onesignal_receives_idempotency_key_aliases_and_channel(onesignal, stub) -> None:
    ids = add_contacts(onesignal, 2)
    publish(onesignal, push_journey())
    track(onesignal, ids, "go")
    run(onesignal)
    dispatch(onesignal)
    assert sorted(stub.delivered_to()) == ["user-1", "user-2"]
    first = json.loads(stub.requests[0]["raw"])
    assert first["target_channel"] == "push"
    assert first["app_id"] == "app-123"
    assert first["idempotency_key"]
    assert stub.requests[0]["headers"]["Authorization"] == "Key secret-key"
    assert {m.status for m in outbox(onesignal)} == {"sent"}


def test_identical_content_leaves_in_one_request(onesignal, stub) -> None:
    ids = add_contacts(onesignal, 50)
    publish(onesignal, push_journey("Same for everyone"))
    track(onesignal, ids, "go")
    run(onesignal)
    dispatch(onesignal)
    assert len(stub.requests) == 1
    assert len(stub.delivered_to()) == 50


@pytest.mark.parametrize("failure", ["429", "500", "garbage", "slow"])
def test_transient_failures_are_retried_with_the_same_idempotency_key(onesignal, stub, failure) -> None:
    ids = add_contacts(onesignal, 1)
    publish(onesignal, push_journey())
    track(onesignal, ids, "go")
    run(onesignal)
    stub.then(failure)
    dispatch(onesignal)
    [message] = outbox(onesignal)
    assert message.status == "pending" and message.attempts == 1 and message.last_error
    assert dispatch(onesignal) == 0  # backoff: not yet
    dispatch(onesignal, after=timedelta(seconds=onesignal.settings.dispatch_retry_base_s))
    [message] = outbox(onesignal)
    assert message.status == "sent"
    keys = {json.loads(r["raw"])["idempotency_key"] for r in stub.requests}
    assert len(keys) == 1
    assert stub.delivered_to() == ["user-1"]


def test_permanent_failure_is_recorded_with_reason(onesignal, stub) -> None:
    ids = add_contacts(onesignal, 1)
    journey_id = publish(onesignal, push_journey())
    track(onesignal, ids, "go")
    run(onesignal)
    stub.then("400")
    dispatch(onesignal)
    [message] = outbox(onesignal)
    assert message.status == "failed"
    assert message.last_error.startswith("http_400")
    assert counts(onesignal, journey_id)[("msg", "failed", "http_400")] == 1


def test_retries_stop_after_max_attempts(onesignal, stub) -> None:
    onesignal.settings.dispatch_max_attempts = 3
    ids = add_contacts(onesignal, 1)
    publish(onesignal, push_journey())
    track(onesignal, ids, "go")
    run(onesignal)
    stub.then("500", "500", "500")
    for _ in range(3):
        dispatch(onesignal, after=timedelta(hours=1))
    [message] = outbox(onesignal)
    assert message.status == "failed" and message.attempts == 3
    assert message.last_error.startswith("gave up")


def test_channel_without_provider_goes_to_visible_sandbox(ctx) -> None:
    ids = add_contacts(ctx, 2)
    journey_id = publish(ctx, push_journey())
    track(ctx, ids, "go")
    run(ctx)
    dispatch(ctx)
    assert {m.status for m in outbox(ctx)} == {"sandbox"}
    assert counts(ctx, journey_id)[("msg", "sandboxed", "sandbox")] == 2


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], bytes]] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos), envelope.content))
        return "250 OK"


def test_email_goes_through_smtp(ctx) -> None:
    handler = _Inbox()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        ctx.settings.smtp_host = "127.0.0.1"
        ctx.settings.smtp_port = port
        ctx.settings.smtp_from = "Shop <shop@example.com>"
        ids = add_contacts(ctx, 2)
        publish(ctx, push_journey("<p>Hi {{ contact.first_name }}</p>", channel="email"))
        track(ctx, ids, "go")
        run(ctx)
        dispatch(ctx)
    finally:
        controller.stop()
    assert sorted(rcpt[0] for _, rcpt, _ in handler.messages) == ["user1@example.com", "user2@example.com"]
    assert b"Hi Ann1" in b"".join(c for *_, c in handler.messages)
    assert {m.status for m in outbox(ctx)} == {"sent"}


@pytest.fixture
def receiver(ctx) -> Iterator[RecordingServer]:
    """A webhook receiver on loopback, which an admin must allow explicitly (loopback is refused by default)."""
    ctx.settings.webhook_allow_hosts = "127.0.0.1"
    server = RecordingServer().start()
    yield server
    server.stop()


def webhook_journey(url: str) -> dict:
    return journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("hook", "webhook", {"url": url, "body": '{"user": "{{ contact.external_id }}"}'}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "hook"), ("hook", "next", "done")],
    )


def test_webhook_posts_a_signed_body(ctx, receiver) -> None:
    ctx.settings.webhook_secret = type(ctx.settings.webhook_secret)("hook-secret")
    ids = add_contacts(ctx, 1)
    publish(ctx, webhook_journey(receiver.url + "/hook"))
    track(ctx, ids, "go")
    run(ctx)
    dispatch(ctx)
    [request] = receiver.requests
    assert json.loads(request["raw"]) == {"user": "user-1"}
    expected = signature("hook-secret", request["headers"]["X-Parcours-Timestamp"], request["raw"])
    assert request["headers"]["X-Parcours-Signature"] == expected
    assert outbox(ctx)[0].status == "sent"


def test_hanging_webhook_is_cut_by_timeout_and_retried(ctx, receiver) -> None:
    ctx.settings.provider_timeout_s = 0.5
    ids = add_contacts(ctx, 1)
    publish(ctx, webhook_journey(receiver.url + "/hook"))
    track(ctx, ids, "go")
    run(ctx)
    receiver.then("slow")
    dispatch(ctx)
    [message] = outbox(ctx)
    assert message.status == "pending" and message.last_error == "timeout"
