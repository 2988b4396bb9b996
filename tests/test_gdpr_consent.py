"""Consent history and SMS keywords: the service, and STOP through the real inbound webhook."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta

import httpx
import pytest

from app.audience import consent
from app.audience.consent import ConsentError, UnknownContact
from app.engagement import sms_inbound
from app.engine import service as engine_service
from storage import consent as consent_store
from storage import gdpr as store
from tests.engine_support import add_contacts, journey, outbox, publish, run, track

SECRET = "inbound-sms-secret"

SMS_JOURNEY = journey(
    [
        ("entry", "entry.api", {}),
        ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "days"}}),
        ("sms", "message.sms", {"body": "Hello {{ contact.first_name }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "wait"), ("wait", "next", "sms"), ("sms", "next", "done")],
)


def test_set_consent_updates_the_contact_and_appends_history_once(ctx, clock) -> None:
    (cid,) = add_contacts(ctx, 1)
    first = consent.set_consent(ctx, cid, "email", "unsubscribed", "ui", "marketer@example.com")
    clock.advance(timedelta(minutes=5))
    again = consent.set_consent(ctx, cid, "email", "unsubscribed", "api", "api:backend")
    assert (first.changed, first.previous, again.changed) == (True, "subscribed", False)
    assert consent.current(ctx, cid)["email"] == "unsubscribed"
    assert consent.current(ctx, cid)["sms"] == "subscribed"
    rows = consent.history(ctx, cid)
    assert [(r["channel"], r["status"], r["source"], r["actor"]) for r in rows] == [
        ("email", "unsubscribed", "ui", "marketer@example.com")
    ]


def test_set_consent_refuses_bad_fields_and_unknown_contacts_without_writing(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    with pytest.raises(ConsentError) as bad:
        consent.set_consent(ctx, cid, "fax", "unsubscribed", "ui", "x")
    assert bad.value.field == "channel"
    with pytest.raises(ConsentError):
        consent.set_consent(ctx, cid, "sms", "maybe", "ui", "x")
    with pytest.raises(ConsentError):
        consent.set_consent(ctx, cid, "sms", "unsubscribed", "telepathy", "x")
    with pytest.raises(UnknownContact):
        consent.set_consent(ctx, cid + 1, "sms", "unsubscribed", "ui", "x")
    assert consent.history(ctx, cid) == []


@pytest.mark.parametrize(
    "body", ["STOP", "stop", " Stop please", "STOPALL", "unsubscribe", "CANCEL", "end", "QUIT", "Arret"]
)
def test_stop_words_are_recognised(body: str) -> None:
    assert sms_inbound.keyword(body) == "stop"


def test_other_words_are_not_stop() -> None:
    assert [sms_inbound.keyword(b) for b in ("HELP", "aide", "START", "stopping by later", "", "hello")] == [
        "help",
        "help",
        "start",
        None,
        None,
        None,
    ]


def test_stop_confirms_once_and_help_answers(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    phone = "+33612340001"
    assert sms_inbound.handle(ctx, phone, "STOP") == "stopped"
    assert sms_inbound.handle(ctx, "06 12 34 00 01", "stop") == "already_stopped"
    assert sms_inbound.handle(ctx, phone, "HELP") == "help"
    assert sms_inbound.handle(ctx, "+33699999999", "STOP") == "unknown"
    replies = outbox(ctx, channel="sms")
    assert [(m.contact_id, m.payload["body"], m.transactional) for m in replies] == [
        (cid, ctx.settings.sms_stop_text, True),
        (cid, ctx.settings.sms_help_text, True),
    ]
    assert consent.current(ctx, cid)["sms"] == "unsubscribed"
    assert [r["source"] for r in consent.history(ctx, cid)] == ["sms_keyword"]
    assert sms_inbound.handle(ctx, phone, "START") == "started"
    assert consent.current(ctx, cid)["sms"] == "subscribed"


def test_stop_unsubscribes_every_contact_sharing_the_number(ctx) -> None:
    first, second = add_contacts(ctx, 2, phone="+33612349999")
    assert sms_inbound.handle(ctx, "+33612349999", "ARRET") == "stopped"
    assert [consent.current(ctx, cid)["sms"] for cid in (first, second)] == ["unsubscribed", "unsubscribed"]
    assert len(outbox(ctx, channel="sms")) == 1


@pytest.fixture
def sms_secret(monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("PARCOURS_SMS_INBOUND_SECRET", SECRET)
    return SECRET


def _signed(payload: dict[str, str]) -> tuple[bytes, dict[str, str]]:
    raw = json.dumps(payload).encode()
    signature = hmac.new(SECRET.encode(), raw, hashlib.sha256).hexdigest()
    return raw, {"X-Parcours-Signature": signature, "Content-Type": "application/json"}


def test_stop_through_the_webhook_stops_a_running_journeys_sms(ctx, sms_secret, server) -> None:
    stopped, kept = add_contacts(ctx, 2)
    journey_id = publish(ctx, SMS_JOURNEY)
    for external_id in ("user-1", "user-2"):
        assert engine_service.enroll(ctx, journey_id, external_id=external_id, properties={})
    run(ctx)
    raw, headers = _signed({"from": "+33612340001", "body": "STOP"})
    response = httpx.post(f"{server.base_url}/api/v1/sms/inbound", content=raw, headers=headers)
    assert response.status_code == 200, response.text
    assert response.json() == {"ok": True, "outcome": "stopped"}
    run(ctx, after=timedelta(days=2))
    journey_sms = [m.contact_id for m in outbox(ctx, channel="sms", journey_id=journey_id)]
    assert journey_sms == [kept]
    confirmations = outbox(ctx, channel="sms", journey_id=0)
    assert [m.contact_id for m in confirmations] == [stopped]


def test_webhook_refuses_unsigned_requests_and_answers_unknown_numbers_neutrally(ctx, sms_secret, server) -> None:
    (cid,) = add_contacts(ctx, 1)
    url = f"{server.base_url}/api/v1/sms/inbound"
    forged = httpx.post(url, json={"from": "+33612340001", "body": "STOP"}, headers={"X-Parcours-Signature": "00"})
    assert forged.status_code == 401
    assert httpx.post(url, json={"from": "+33612340001", "body": "STOP"}).status_code == 401
    assert consent.current(ctx, cid)["sms"] == "subscribed"
    raw, headers = _signed({"from": "+33700000000", "body": "STOP"})
    assert httpx.post(url, content=raw, headers=headers).json() == {"ok": True}
    twilio = httpx.post(f"{url}?token={SECRET}", data={"From": "+33612340001", "Body": "Stop"})
    assert twilio.json() == {"ok": True, "outcome": "stopped"}
    assert consent.current(ctx, cid)["sms"] == "unsubscribed"
    missing = httpx.post(f"{url}?token={SECRET}", data={"Body": "STOP"})
    assert (missing.status_code, missing.json()["detail"].split(":")[0]) == (400, "from")


def test_a_non_ascii_signature_is_refused_not_a_server_error(ctx, sms_secret, server) -> None:
    (cid,) = add_contacts(ctx, 1)
    body = json.dumps({"from": "+33612340001", "body": "STOP"}).encode()
    forged = httpx.post(
        f"{server.base_url}/api/v1/sms/inbound", content=body, headers={"X-Parcours-Signature": "é".encode()}
    )
    assert forged.status_code == 401
    assert consent.current(ctx, cid)["sms"] == "subscribed"


def test_sms_webhook_is_refused_while_no_secret_is_configured(ctx, server) -> None:
    (cid,) = add_contacts(ctx, 1)
    refused = httpx.post(f"{server.base_url}/api/v1/sms/inbound?token=", data={"From": "+33612340001", "Body": "STOP"})
    assert refused.status_code == 403 and "PARCOURS_SMS_INBOUND_SECRET" in refused.json()["detail"]
    assert consent.current(ctx, cid)["sms"] == "subscribed"


def test_double_opt_in_template_sends_the_link_and_records_the_confirmation(ctx) -> None:
    confirming, silent = add_contacts(ctx, 2)
    publish(ctx, "double_opt_in")
    track(ctx, [confirming, silent], "newsletter_signup", confirm_url="https://shop.example/confirm/abc")
    run(ctx)
    emails = outbox(ctx, channel="email")
    assert [m.contact_id for m in emails] == [confirming, silent]
    assert 'href="https://shop.example/confirm/abc"' in emails[0].payload["body"]
    run(ctx, after=timedelta(hours=2))
    track(ctx, [confirming], "email_confirmed")
    run(ctx, after=timedelta(days=4))
    with ctx.db.session() as session:
        flags = {
            cid: store.contact_row(session, cid)["attributes"].get("email_double_opt_in")
            for cid in (confirming, silent)
        }
    assert flags == {confirming: True, silent: False}


def test_consent_api_needs_a_write_key_and_records_the_change(ctx, server) -> None:
    from storage.api_keys import create_key

    (cid,) = add_contacts(ctx, 1)
    with ctx.db.session() as session:
        _info, raw = create_key(session, name="backend", now=ctx.clock.now())
    url = f"{server.base_url}/api/v1/contacts/user-1/consent"
    body = {"channel": "email", "status": "unsubscribed"}
    assert httpx.post(url, json=body).status_code == 401
    assert httpx.post(url, json=body, auth=("forged", "")).status_code == 401
    done = httpx.post(url, json=body, auth=(raw, ""))
    assert done.status_code == 200, done.text
    assert (done.json()["changed"], done.json()["consent"]["email"]) == (True, "unsubscribed")
    assert httpx.post(url, json=body, auth=(raw, "")).json()["changed"] is False
    bad = httpx.post(url, json={"channel": "fax", "status": "unsubscribed"}, auth=(raw, ""))
    assert bad.status_code in {400, 422} and "channel" in bad.text
    unknown = httpx.post(f"{server.base_url}/api/v1/contacts/nobody/consent", json=body, auth=(raw, ""))
    assert unknown.status_code == 404
    assert [(r["source"], r["actor"]) for r in consent.history(ctx, cid)] == [("api", "api:backend")]


def test_tracking_and_csv_consent_changes_land_in_the_history(ctx, tmp_path) -> None:
    from app.audience.csv_import import import_file
    from app.tracking import service as tracking_service
    from app.tracking.payloads import Identify

    identify = {"type": "identify", "userId": "u-9", "traits": {"consent": {"email": "subscribed"}}}
    tracking_service.ingest(ctx, [Identify.model_validate(identify)])
    tracking_service.ingest(ctx, [Identify.model_validate(identify)])
    csv_file = tmp_path / "consent.csv"
    csv_file.write_text("Id,Sms\nu-9,yes\nu-10,no\n", encoding="utf-8")
    import_file(ctx, str(csv_file), {"external_id": "Id", "consent.sms": "Sms"})
    with ctx.db.session() as session:
        ids = [consent_store.contact_by_external_id(session, e) for e in ("u-9", "u-10")]
    assert [(r["channel"], r["status"], r["source"]) for r in consent.history(ctx, ids[0])] == [
        ("email", "subscribed", "api"),
        ("sms", "subscribed", "csv"),
    ]
    assert [(r["channel"], r["status"], r["source"]) for r in consent.history(ctx, ids[1])] == [
        ("sms", "unsubscribed", "csv")
    ]
