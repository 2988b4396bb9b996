"""Inbound messages at the edge: signatures, unknown numbers, long or binary texts, retries, STOP priority,
late replies and the in-app chat API, all through real HTTP on loopback."""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
from datetime import timedelta

import httpx
import pytest
from sqlalchemy import select

from app.access import api_keys as api_key_service
from app.audience import consent
from app.conversations import inbound, outbound
from app.delivery import provider_config
from app.engine import service as engine_service
from app.privacy import gdpr
from journeys.errors import ConflictError
from storage.models import Contact, Event
from tests.conversation_support import ADMIN, CONFIRM, conversations, conversations_api, turns, twilio
from tests.engine_support import add_contacts, outbox, publish, run
from tests.quarantine_support import dispatch

GENERIC_SECRET = "generic-inbound-secret"
ASK = CONFIRM["nodes"][1]["config"]["body"]


def _phone(contact_id: int) -> str:
    return f"+3361234{contact_id:04d}"


def _events(ctx, name: str = "message.received") -> list:
    table = Event.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).where(table.c.name == name).order_by(table.c.id)))


def test_unsigned_or_wrongly_signed_twilio_posts_are_refused_and_logged(ctx, caplog) -> None:
    (cid,) = add_contacts(ctx, 1)
    with twilio(ctx) as stub, conversations_api() as base, caplog.at_level(logging.WARNING, "parcours"):
        url = f"{base}/api/v1/conversations/sms/twilio"
        unsigned = httpx.post(url, data={"From": _phone(cid), "Body": "YES"})
        forged = stub.reply(url, _phone(cid), "YES", token="not-the-auth-token")
        params, headers = stub.signed(url + "?x=1", _phone(cid), "YES")  # signed for another URL
        moved = httpx.post(url, data=params, headers=headers)
        params, headers = stub.signed(url, _phone(cid), "YES")
        changed = httpx.post(url, data={**params, "Body": "NO"}, headers=headers)  # the text changed on the way
        genuine = stub.reply(url, _phone(cid), "YES")
    assert [r.status_code for r in (unsigned, forged, moved, changed)] == [403, 403, 403, 403]
    assert genuine.status_code == 200
    assert "refused Twilio inbound message" in caplog.text and "YES" not in caplog.text
    assert len(turns(ctx)) == 1 and len(_events(ctx)) == 1


def test_generic_json_webhook_needs_the_hmac_of_its_body(ctx, monkeypatch) -> None:
    monkeypatch.setattr(ctx.settings, "sms_inbound_secret", __import__("pydantic").SecretStr(GENERIC_SECRET))
    (cid,) = add_contacts(ctx, 1)
    raw = json.dumps({"from": _phone(cid), "text": "Bonjour", "id": "gw-1"}).encode()
    signature = "sha256=" + hmac.new(GENERIC_SECRET.encode(), raw, hashlib.sha256).hexdigest()
    with conversations_api() as base:
        url = f"{base}/api/v1/conversations/sms/inbound"
        token_only = httpx.post(url, content=raw, params={"token": GENERIC_SECRET})
        wrong = httpx.post(url, content=raw, headers={"X-Parcours-Signature": "sha256=" + "0" * 64})
        good = httpx.post(url, content=raw, headers={"X-Parcours-Signature": signature})
        again = httpx.post(url, content=raw, headers={"X-Parcours-Signature": signature})  # a gateway retry
        bad_raw = json.dumps({"text": "no sender"}).encode()
        bad_sig = "sha256=" + hmac.new(GENERIC_SECRET.encode(), bad_raw, hashlib.sha256).hexdigest()
        missing = httpx.post(url, content=bad_raw, headers={"X-Parcours-Signature": bad_sig})
    assert (token_only.status_code, wrong.status_code, good.status_code) == (403, 403, 200)
    assert again.json() == {"ok": True, "outcome": "duplicate"}
    assert missing.status_code == 400 and missing.json()["detail"].startswith("from:")
    assert [t.text for t in turns(ctx)] == ["Bonjour"]


def test_unknown_numbers_are_dropped_or_become_anonymous_contacts_as_set(ctx) -> None:
    stranger = "+33698765432"
    with twilio(ctx) as stub, conversations_api() as base:
        url = f"{base}/api/v1/conversations/sms/twilio"
        dropped = stub.reply(url, stranger, "Hello?")
        provider_config.save(ctx, "conversation_unknown_sender", "anonymous", actor=ADMIN)
        kept = stub.reply(url, stranger, "Hello again?")
    assert dropped.status_code == kept.status_code == 200
    with ctx.db.engine.connect() as conn:
        people = list(conn.execute(select(Contact.__table__)))
    assert [(p.phone, p.anonymous_id, p.external_id) for p in people] == [(stranger, f"sms:{stranger}", None)]
    assert [t.text for t in turns(ctx)] == ["Hello again?"]
    assert [c.status for c in conversations(ctx)] == ["handed_over"]  # nobody else would answer it
    with pytest.raises(provider_config.secrets.SecretError):
        provider_config.save(ctx, "conversation_unknown_sender", "keep-them-all", actor=ADMIN)


def test_long_and_binary_texts_are_cut_with_a_note(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    long_text = "blah " * 2_000
    long_got = inbound.receive(ctx, channel="sms", contact_id=cid, text=long_text)
    binary_got = inbound.receive(ctx, channel="sms", contact_id=cid, text="\x00\x01\x02\x03PK\x03\x04\x00\x00")
    long_turn, binary_turn = turns(ctx)
    assert long_got.outcome == binary_got.outcome == "received"
    assert len(long_turn.text) == inbound.MAX_TEXT and long_turn.truncated
    assert long_turn.text.endswith("(message cut: 10000 characters received)")
    assert (binary_turn.text, binary_turn.truncated) == ("(non-text content removed)", True)
    assert _events(ctx)[0].properties["text"] == long_turn.text


def test_stop_keeps_priority_and_yes_from_a_subscribed_contact_is_an_answer(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, CONFIRM)
    engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
    run(ctx)
    yes = inbound.receive_sms(ctx, sender=_phone(cid), body="YES")
    assert (yes.outcome, yes.handled_by) == ("received", "journey")
    stop = inbound.receive_sms(ctx, sender=_phone(cid), body="STOP")
    assert stop.outcome == "stopped" and consent.current(ctx, cid)["sms"] == "unsubscribed"
    assert [(t.author, t.text) for t in turns(ctx)] == [("journey", ASK), ("contact", "YES")]


def test_a_reply_after_the_timeout_goes_to_the_inbox(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    journey_id = publish(ctx, CONFIRM)
    engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
    run(ctx)
    run(ctx, after=timedelta(days=2))
    late = inbound.receive_sms(ctx, sender=_phone(cid), body="Oui, désolé du retard")
    run(ctx)
    assert (late.outcome, late.handled_by) == ("received", "inbox")
    (conversation,) = conversations(ctx)
    assert conversation.status == "handed_over"
    assert [(t.author, t.text) for t in turns(ctx)] == [("journey", ASK), ("contact", "Oui, désolé du retard")]


def test_consent_still_applies_to_answers(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    got = inbound.receive_sms(ctx, sender=_phone(cid), body="Where is my order?")
    answer = outbound.send(ctx, conversation_id=got.conversation_id, text="It left today.", author="agent")
    consent.set_consent(ctx, cid, "sms", "unsubscribed", "ui", ADMIN)
    with pytest.raises(ConflictError, match="consent"):
        outbound.send(ctx, conversation_id=got.conversation_id, text="Anything else?", author="agent")
    sent = outbox(ctx, channel="sms")
    assert [(m.node_id, m.payload["body"]) for m in sent] == [("conversation", "It left today.")]
    assert [(t.direction, t.text) for t in turns(ctx)] == [("in", "Where is my order?"), ("out", "It left today.")]
    assert answer == turns(ctx)[1].id


def test_agent_answers_leave_through_twilio(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    with twilio(ctx) as stub:
        got = inbound.receive_sms(ctx, sender=_phone(cid), body="Can I talk to someone?")
        outbound.send(ctx, conversation_id=got.conversation_id, text="Hi, Paul here.", author="agent", agent_user_id=1)
        assert dispatch(ctx) == 1
        assert stub.texts_to(_phone(cid)) == ["Hi, Paul here."]


def test_in_app_chat_posts_with_the_tracking_key_and_reads_new_turns_since_a_cursor(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    _key, raw_key = api_key_service.create(ctx, "app", actor=ADMIN)
    auth = {"Authorization": f"Bearer {raw_key}"}
    with conversations_api() as base:
        chat = f"{base}/api/v1/contacts/user-{cid}/chat"
        assert httpx.post(chat, json={"text": "Hi"}).status_code == 401
        posted = httpx.post(chat, json={"text": "Hi, are you open on Sunday?"}, headers=auth)
        assert posted.status_code == 201, posted.text
        first = httpx.get(chat, headers=auth).json()
        outbound.send(ctx, conversation_id=posted.json()["conversation_id"], text="Yes, 10am to 6pm.", author="agent")
        later = httpx.get(chat, params={"after": first["cursor"]}, headers=auth).json()
        unknown = httpx.post(f"{base}/api/v1/contacts/nobody/chat", json={"text": "Hi"}, headers=auth)
        empty = httpx.post(chat, json={"text": ""}, headers=auth)
        beyond = httpx.get(chat, params={"after": 2**40}, headers=auth)  # past any id: nothing new, on both
        too_big = httpx.get(chat, params={"after": 2**63}, headers=auth)
    assert [(m["direction"], m["text"]) for m in first["messages"]] == [("in", "Hi, are you open on Sunday?")]
    assert [(m["author"], m["text"]) for m in later["messages"]] == [("agent", "Yes, 10am to 6pm.")]
    assert later["cursor"] > first["cursor"]
    assert unknown.status_code == 404 and unknown.json()["detail"].startswith("external_id")
    assert empty.status_code == 422
    assert beyond.status_code == 200 and beyond.json()["messages"] == []
    assert too_big.status_code == 422 and too_big.json()["detail"][0]["loc"] == ["query", "after"]
    assert outbox(ctx, channel="sms") == []  # a chat answer is read by the app, never texted


def test_erasing_a_contact_erases_its_conversations(ctx) -> None:
    kept, erased = add_contacts(ctx, 2)
    for cid in (kept, erased):
        got = inbound.receive_sms(ctx, sender=_phone(cid), body=f"Hello from {cid}")
        outbound.send(ctx, conversation_id=got.conversation_id, text="Hi!", author="agent")
    gdpr.erase_contact(ctx, erased, actor=ADMIN, ip="127.0.0.1")
    assert {c.contact_id for c in conversations(ctx)} == {kept}
    assert {t.contact_id for t in turns(ctx)} == {kept}


def test_a_chat_message_is_not_taken_by_a_journey_waiting_for_an_sms(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    sms_only = {**CONFIRM, "nodes": [dict(n) for n in CONFIRM["nodes"]]}
    wait = next(n for n in sms_only["nodes"] if n["id"] == "wait")
    wait["config"] = {**wait["config"], "channel": "sms"}
    journey_id = publish(ctx, sms_only)
    engine_service.enroll(ctx, journey_id, external_id=f"user-{cid}", properties={})
    run(ctx)
    chat = inbound.receive_chat(ctx, external_id=f"user-{cid}", text="yes")
    sms = inbound.receive_sms(ctx, sender=_phone(cid), body="yes")
    assert (chat.handled_by, sms.handled_by) == ("inbox", "journey")


def test_message_retention_blanks_old_conversation_texts(ctx, clock, monkeypatch) -> None:
    (cid,) = add_contacts(ctx, 1)
    inbound.receive_sms(ctx, sender=_phone(cid), body="My card number is 4970...")
    clock.advance(timedelta(days=20))
    inbound.receive_sms(ctx, sender=_phone(cid), body="Any news?")
    monkeypatch.setattr(ctx.settings, "retention_messages_days", 10)
    assert gdpr.purge_expired(ctx) == {"events": 0, "messages": 1}
    assert [t.text for t in turns(ctx)] == ["", "Any news?"]
