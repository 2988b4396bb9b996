"""How an app sends consent through the tracking API, over real HTTP, and what the engine then does with it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from app.audience import consent
from storage.models import Contact
from tests import test_tracking_api
from tests.engine_support import counts, journey, outbox, publish, run

CONTACTS = Contact.__table__
api = test_tracking_api.api  # the fixture: a write key on a real server
rows = test_tracking_api.rows


def identify(api: Any, user_id: str, traits: dict[str, Any], **context: Any) -> dict[str, Any]:
    response = api.post("/identify", json={"userId": user_id, "traits": traits, "context": context})
    assert response.status_code == 200, response.text
    return response.json()


def test_consent_trait_takes_yes_no_switches_and_records_each_change(api, ctx) -> None:
    answer = identify(api, "u-1", {"email": "ann@example.com", "consent": {"sms": True, "email": False}})
    assert answer["warnings"] == []
    identify(api, "u-1", {"consent": {"email": "subscribed"}})
    ((contact_id, stored),) = rows(api, select(CONTACTS.c.id, CONTACTS.c.consent))
    assert stored == {"sms": "subscribed", "email": "subscribed"}
    assert [(r["channel"], r["status"], r["source"]) for r in consent.history(ctx, contact_id)] == [
        ("sms", "subscribed", "api"),
        ("email", "unsubscribed", "api"),
        ("email", "subscribed", "api"),
    ]


def test_a_bad_consent_value_is_dropped_with_a_warning_naming_the_channel(api, ctx) -> None:
    answer = identify(api, "u-2", {"plan": "pro", "consent": {"sms": "maybe"}})
    ((warning),) = answer["warnings"]
    assert warning["field"] == "traits.consent.sms"
    assert "true, false, subscribed or unsubscribed" in warning["message"]
    assert rows(api, select(CONTACTS.c.consent, CONTACTS.c.attributes)) == [({}, {"plan": "pro"})]


def test_a_reported_push_token_is_the_push_consent_until_the_person_opts_out(api, ctx) -> None:
    doc = journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", "message.push", {"body": "Hi"}), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
        settings={"reentry": {"mode": "after_exit"}},
    )
    journey_id = publish(ctx, doc)
    identify(api, "with-token", {}, device={"type": "ios", "token": "apns-token-1"})
    identify(api, "no-token", {})
    for user in ("with-token", "no-token"):
        assert api.post("/track", json={"userId": user, "event": "go"}).status_code == 200
    run(ctx)  # the test server runs without its worker: the engine runs here, on the same database
    assert [m.payload["external_id"] for m in outbox(ctx, channel="push")] == ["with-token"]
    identify(api, "with-token", {"consent": {"push": False}})
    assert api.post("/track", json={"userId": "with-token", "event": "go"}).status_code == 200
    run(ctx)
    assert counts(ctx, journey_id)[("msg", "skipped", "no_consent")] == 1
    assert counts(ctx, journey_id)[("msg", "skipped", "unsubscribed")] == 1
    assert len(outbox(ctx, channel="push")) == 1
