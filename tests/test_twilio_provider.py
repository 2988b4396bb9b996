"""Twilio as the SMS provider, through the dispatcher and the official client, against a Twilio-compatible
stub on loopback: what leaves, what is retried and what fails for good."""

from __future__ import annotations

from pydantic import SecretStr

from app.core.settings import Settings
from app.delivery.providers import route
from app.engine import service as engine_service
from tests.conversation_support import ACCOUNT_SID, CONFIRM, SENDER, twilio
from tests.engine_support import add_contacts, outbox, publish, run
from tests.quarantine_support import dispatch


def _queue_one(ctx) -> int:
    (cid,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, CONFIRM)
    engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
    run(ctx)
    return cid


def test_a_journey_sms_leaves_through_twilio_with_the_sender_and_keeps_the_sid(ctx) -> None:
    cid = _queue_one(ctx)
    with twilio(ctx) as stub:
        assert dispatch(ctx) == 1
    (sent,) = stub.sent
    assert (sent["To"], sent["From"]) == (f"+3361234{cid:04d}", SENDER)
    assert stub.requests[0]["path"] == f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json"
    (row,) = outbox(ctx, channel="sms")
    assert (row.status, row.provider, row.provider_ref) == ("sent", "twilio", sent["sid"])


def test_a_messaging_service_sends_instead_of_a_number(ctx) -> None:
    _queue_one(ctx)
    with twilio(ctx, twilio_from="MG0123456789abcdef0123456789abcdef") as stub:
        dispatch(ctx)
    assert stub.sent[0]["MessagingServiceSid"] == "MG0123456789abcdef0123456789abcdef"
    assert "From" not in stub.sent[0]


def test_a_server_error_is_retried_and_wrong_credentials_fail_for_good(ctx, clock) -> None:
    _queue_one(ctx)
    with twilio(ctx) as stub:
        stub.then("500")
        dispatch(ctx)
        (row,) = outbox(ctx, channel="sms")
        assert (row.status, row.last_error) == ("pending", "http_500")
        stub.auth_token = "rotated-on-twilio-side"
        clock.advance(seconds=3_600)
        dispatch(ctx)
    (row,) = outbox(ctx, channel="sms")
    assert row.status == "failed" and row.last_error.startswith("http_401")
    assert stub.sent == []


def test_the_sms_provider_setting_chooses_between_twilio_and_onesignal() -> None:
    both = Settings(
        onesignal_app_id="app",
        onesignal_api_key=SecretStr("key"),
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=SecretStr("token"),
        twilio_from=SENDER,
    )
    assert route(both, "sms") == "twilio"
    assert route(both.model_copy(update={"sms_provider": "onesignal"}), "sms") == "onesignal"
    assert route(both.model_copy(update={"twilio_from": ""}), "sms") == "onesignal"
    assert route(both, "push") == "onesignal"
    assert route(Settings(), "sms") == "sandbox"
