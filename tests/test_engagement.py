"""Engagement tracking over real HTTP: email links and pixel, unsubscribe, app events, OneSignal webhook."""

from __future__ import annotations

import email
import re
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import delete, select

from app.analytics import funnels
from app.delivery import tracking_links
from app.delivery.dispatch import Dispatcher
from storage.models import Contact, Event
from tests.conftest import free_port, run_cli
from tests.engine_support import add_contacts, journey, outbox, publish, run, track
from tests.stub_servers import OneSignalStub

BODY = '<html><body><p>Hi</p><a href="https://shop.example.com/cart?x=1&amp;y=2">cart</a></body></html>'


class _Inbox:
    def __init__(self) -> None:
        self.messages: list[email.message.Message] = []

    async def handle_DATA(self, server, session, envelope):  # noqa: N802 (aiosmtpd's hook name)
        self.messages.append(email.message_from_bytes(envelope.content))
        return "250 OK"


def _journey(channel: str = "email") -> dict:
    config = {"subject": "Hello", "body": BODY} if channel == "email" else {"title": "Hi", "body": "Come back"}
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", f"message.{channel}", config), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
        name="Tracked",
    )


def _dispatch(ctx: Any) -> None:
    dispatcher = Dispatcher(ctx)
    try:
        dispatcher.run()
    finally:
        dispatcher.close()


@pytest.fixture
def mailed(ctx, server) -> Iterator[tuple[Any, int, list[email.message.Message]]]:
    """Two contacts emailed through a real SMTP server, with links pointing at the real app."""
    handler, port = _Inbox(), free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    ctx.settings.smtp_host, ctx.settings.smtp_port = "127.0.0.1", port
    ctx.settings.public_url = server.base_url
    try:
        journey_id = publish(ctx, _journey())
        track(ctx, add_contacts(ctx, 2), "go")
        run(ctx)
        _dispatch(ctx)
    finally:
        controller.stop()
    yield ctx, journey_id, sorted(handler.messages, key=lambda m: m["To"])


def _html(message: email.message.Message) -> str:
    part = next(p for p in message.walk() if p.get_content_type() == "text/html")
    return part.get_content() if hasattr(part, "get_content") else part.get_payload(decode=True).decode()


def _links(message: email.message.Message) -> dict[str, str]:
    html = _html(message).replace("&amp;", "&")
    return {
        "click": re.search(r'href="([^"]*/track/click/[^"]+)"', html).group(1),
        "pixel": re.search(r'src="([^"]*/track/open/[^"]+)"', html).group(1),
        "unsubscribe": re.search(r'href="([^"]*/track/unsubscribe/[^"]+)"', html).group(1),
    }


def _totals(ctx: Any, journey_id: int) -> dict[str, int]:
    return funnels.journey_analytics(ctx, journey_id).totals


def _consent(ctx: Any, contact_id: int) -> dict:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(Contact.__table__.c.consent).where(Contact.__table__.c.id == contact_id)).scalar()


def test_every_email_has_tracked_links_pixel_and_list_unsubscribe_headers(mailed, server) -> None:
    _ctx, _journey_id, messages = mailed
    assert len(messages) == 2
    for message in messages:
        links = _links(message)
        assert all(url.startswith(server.base_url + "/api/v1/track/") for url in links.values())
        assert message["List-Unsubscribe"] == f"<{links['unsubscribe']}>"
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        assert "shop.example.com" not in _html(message)
    assert _links(messages[0])["click"] != _links(messages[1])["click"]


def test_pixel_and_click_count_once_and_redirect_to_the_original_link(mailed) -> None:
    ctx, journey_id, messages = mailed
    links = _links(messages[0])
    for _ in range(2):
        pixel = httpx.get(links["pixel"], timeout=10)
        assert pixel.status_code == 200 and pixel.headers["content-type"] == "image/gif"
    clicked = httpx.get(links["click"], timeout=10)
    assert clicked.status_code == 302
    assert clicked.headers["location"] == "https://shop.example.com/cart?x=1&y=2"
    httpx.get(links["click"], timeout=10)
    totals = _totals(ctx, journey_id)
    assert (totals["opened"], totals["clicked"], totals["delivered"]) == (1, 1, 2)


def test_forged_or_tampered_tokens_get_neutral_answers_and_record_nothing(mailed, server) -> None:
    ctx, journey_id, messages = mailed
    links = _links(messages[0])
    before = _totals(ctx, journey_id)
    body, _, mac = links["click"].rsplit("/", 1)[1].partition(".")
    tampered = f"{server.base_url}/api/v1/track/click/{body}.{mac[:-2]}AA"
    assert httpx.get(tampered, timeout=10).status_code == 404
    forged_pixel = httpx.get(f"{server.base_url}/api/v1/track/open/eyJtIjoiMS0xLTEtbXNnIn0.bogus.gif", timeout=10)
    assert forged_pixel.status_code == 200 and forged_pixel.headers["content-type"] == "image/gif"
    pixel_as_unsub = links["pixel"].replace("/track/open/", "/track/unsubscribe/").removesuffix(".gif")
    assert httpx.get(pixel_as_unsub, timeout=10).status_code == 404
    unknown = tracking_links.click_url(ctx.settings, f"{journey_id}-999-1-msg", "https://evil.example.com")
    assert httpx.get(unknown, timeout=10).status_code == 404
    assert _totals(ctx, journey_id) == before
    assert _consent(ctx, 1)["email"] == "subscribed"


def test_tracking_hits_for_an_erased_contact_record_nothing(mailed) -> None:
    ctx, journey_id, messages = mailed
    with ctx.db.engine.begin() as conn:  # erasure: the contact and its events are gone
        conn.execute(delete(Event.__table__).where(Event.__table__.c.contact_id == 1))
        conn.execute(delete(Contact.__table__).where(Contact.__table__.c.id == 1))
    links = _links(messages[0])
    assert httpx.get(links["pixel"], timeout=10).status_code == 200
    assert httpx.get(links["click"], timeout=10).status_code == 404
    assert "opened" not in _totals(ctx, journey_id)


def test_unsubscribe_link_and_one_click_post_flip_consent_at_once(mailed) -> None:
    ctx, journey_id, messages = mailed
    page = httpx.get(_links(messages[0])["unsubscribe"], timeout=10)
    assert page.status_code == 200 and '<form method="post">' in page.text
    assert _consent(ctx, 1)["email"] == "subscribed"  # a link scanner's GET changes nothing
    confirmed = httpx.post(_links(messages[0])["unsubscribe"], data={"confirm": "yes"}, timeout=10)
    assert confirmed.status_code == 200 and "désabonné" in confirmed.text
    assert _consent(ctx, 1)["email"] == "unsubscribed"
    one_click = httpx.post(
        messages[1]["List-Unsubscribe"].strip("<>"), data={"List-Unsubscribe": "One-Click"}, timeout=10
    )
    assert one_click.status_code == 200
    assert _consent(ctx, 2)["email"] == "unsubscribed"
    assert _consent(ctx, 2)["push"] == "subscribed"
    assert _totals(ctx, journey_id)["unsubscribed"] == 2
    from app.audience import consent

    assert [(h["channel"], h["status"], h["source"]) for h in consent.history(ctx, 1)][-1] == (
        "email",
        "unsubscribed",
        "unsubscribe",
    )
    httpx.post(_links(messages[0])["unsubscribe"], data={"confirm": "yes"}, timeout=10)  # a second confirmation
    assert [h["source"] for h in consent.history(ctx, 1)].count("unsubscribe") == 1


def test_app_reports_push_opens_and_clicks_with_the_write_key(ctx, server) -> None:
    journey_id = publish(ctx, _journey("push"))
    track(ctx, add_contacts(ctx, 1), "go")
    run(ctx)
    message_id = outbox(ctx)[0].message_id
    url = f"{server.base_url}/api/v1/messages/{message_id}/events"
    assert httpx.post(url, json={"type": "opened"}, timeout=10).status_code == 401
    key = run_cli("apikey", "create", "app").stdout.strip()
    assert httpx.post(url, json={"type": "opened"}, auth=(key, ""), timeout=10).json() == {"recorded": True}
    assert httpx.post(url, json={"type": "clicked"}, auth=(key, ""), timeout=10).json() == {"recorded": True}
    bad = httpx.post(url, json={"type": "exploded"}, auth=(key, ""), timeout=10)
    assert bad.status_code in {400, 422}
    unknown = httpx.post(url.replace(message_id, "9-9-9-x"), json={"type": "opened"}, auth=(key, ""), timeout=10)
    assert unknown.json() == {"recorded": False}
    totals = _totals(ctx, journey_id)
    assert (totals["opened"], totals["clicked"]) == (1, 1)


@pytest.fixture
def stub() -> Iterator[OneSignalStub]:
    server = OneSignalStub().start()
    yield server
    server.stop()


def _pushed(ctx: Any, stub: OneSignalStub, contacts: int) -> tuple[int, str]:
    """A push journey sent through the OneSignal stub to ``contacts`` contacts: (journey id, notification id)."""
    ctx.settings.onesignal_app_id = "app-123"
    ctx.settings.onesignal_api_key = type(ctx.settings.onesignal_api_key)("secret-key")
    ctx.settings.onesignal_host = stub.url
    journey_id = publish(ctx, _journey("push"))
    track(ctx, add_contacts(ctx, contacts), "go")
    run(ctx)
    _dispatch(ctx)
    return journey_id, stub.deliveries[0]["id"]


@pytest.fixture
def onesignal_token(monkeypatch: pytest.MonkeyPatch) -> str:
    """The event webhook token, in the environment before the server starts."""
    monkeypatch.setenv("PARCOURS_ONESIGNAL_WEBHOOK_TOKEN", "os-hook-token-123")
    return "os-hook-token-123"


def test_onesignal_webhook_confirms_delivery_and_refuses_malformed_bodies(ctx, onesignal_token, server, stub) -> None:
    journey_id, notification = _pushed(ctx, stub, 2)
    assert _totals(ctx, journey_id).get("delivered", 0) == 0  # OneSignal confirms delivery itself
    url = f"{server.base_url}/api/v1/webhooks/onesignal?token={onesignal_token}"
    event = {"event": {"kind": "message.push.received"}, "message": {"id": notification}}
    for malformed in ({"event": {"kind": "message.push.received"}}, {**event, "user": {}}, [1, 2]):
        assert httpx.post(url, json=malformed, timeout=10).status_code == 400
    assert httpx.post(url, content=b"{not json", timeout=10).status_code == 400
    assert _totals(ctx, journey_id).get("delivered", 0) == 0
    ok = httpx.post(url, json={**event, "user": {"external_id": "user-1"}}, timeout=10)
    assert ok.json() == {"matched": 1}
    httpx.post(url, json={**event, "user": {"external_id": "user-1"}}, timeout=10)  # a retried callback
    failed = {
        "event": {"kind": "message.push.failed"},
        "message": {"id": notification},
        "user": {"external_id": "user-2"},
    }
    httpx.post(url, json=failed, timeout=10)
    totals = _totals(ctx, journey_id)
    assert (totals["delivered"], totals["failed"]) == (1, 1)


def test_a_link_scanner_get_never_unsubscribes_but_the_list_unsubscribe_post_does(mailed) -> None:
    ctx, journey_id, messages = mailed
    header_url = messages[0]["List-Unsubscribe"].strip("<>")
    assert messages[0]["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    for _ in range(3):  # scanners and previews fetch links, sometimes repeatedly
        assert httpx.get(header_url, timeout=10).status_code == 200
    assert _consent(ctx, 1)["email"] == "subscribed"
    assert "unsubscribed" not in _totals(ctx, journey_id)
    stray = httpx.post(header_url, data={"anything": "else"}, timeout=10)
    assert stray.status_code == 400 and "List-Unsubscribe=One-Click" in stray.json()["detail"]
    assert _consent(ctx, 1)["email"] == "subscribed"
    multipart = httpx.post(header_url, files={"List-Unsubscribe": (None, "One-Click")}, timeout=10)
    assert multipart.status_code == 200 and multipart.text == ""
    assert _consent(ctx, 1)["email"] == "unsubscribed"


def test_onesignal_webhook_is_refused_while_no_token_is_configured(ctx, server, stub) -> None:
    journey_id, notification = _pushed(ctx, stub, 1)
    event = {
        "event": {"kind": "message.push.unsubscribed"},
        "message": {"id": notification},
        "user": {"external_id": "user-1"},
    }
    refused = httpx.post(f"{server.base_url}/api/v1/webhooks/onesignal", json=event, timeout=10)
    assert refused.status_code == 403
    assert "PARCOURS_ONESIGNAL_WEBHOOK_TOKEN" in refused.json()["detail"]
    assert _consent(ctx, 1)["push"] == "subscribed" and "unsubscribed" not in _totals(ctx, journey_id)
