"""A contact's message reaches Parcours: stored as a conversation turn and a ``message.received`` event.

Then exactly one party answers it: a journey step waiting for a reply (the engine consumes the event), else
a person when the reply came after a wait-for-reply step timed out (the conversation is handed over, never
lost), else the FAQ bot when there is one, else a person. STOP and HELP by SMS keep priority: they are
handled as keywords (app/engagement/sms_inbound.py) and go no further.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from app.audience.contact_fields import FieldError, normalize_phone
from app.conversations import intent as intents
from app.core import wakeup
from app.core.context import AppContext
from app.delivery.provider_config import effective_settings
from app.engagement import sms_inbound
from storage import consent as consent_store
from storage import contacts as contact_store
from storage import conversations as store

MAX_TEXT = 1_600  # ten SMS segments
LATE_WINDOW_S = 7 * 86_400  # a reply this long after a wait timed out is still a late answer to it
EVENT = "message.received"
CUT_NOTE = " […] (message cut: {size} characters received)"
BINARY_NOTE = "(non-text content removed)"


@dataclass(frozen=True)
class Received:
    outcome: str  # received | duplicate | dropped | stopped | help | ...
    conversation_id: int | None = None
    message_id: int | None = None
    intent: str | None = None
    handled_by: str = ""  # journey | inbox | bot


def clean_text(text: str) -> tuple[str, bool]:
    """Printable text of at most MAX_TEXT characters, and whether anything was cut or removed."""
    kept = "".join(c for c in text if c in "\n\t" or unicodedata.category(c)[0] != "C")
    removed = len(text) - len(kept)
    if text and removed > len(text) // 10:
        return BINARY_NOTE, True
    if len(kept) > MAX_TEXT:
        note = CUT_NOTE.format(size=len(text))
        return kept[: MAX_TEXT - len(note)] + note, True
    return kept.strip(), bool(removed)


def _route(rows: list[dict[str, Any]], channel: str, now: int) -> str:
    """journey: a step waits for this reply; late: one timed out waiting lately; else free."""
    waited = {EVENT, f"{EVENT}:{channel}"}
    if any(r["status"] == "active" and r["phase"] == 1 and r["wait_event"] in waited for r in rows):
        return "journey"
    for row in rows:
        reply = (row["context"] or {}).get("reply") if isinstance(row["context"], dict) else None
        if isinstance(reply, dict) and int(reply.get("timed_out_at") or 0) >= now - LATE_WINDOW_S:
            return "late"
    return "free"


def _event(contact_id: int, props: dict[str, Any], message_id: int, at: datetime) -> dict[str, Any]:
    return {
        "contact_id": contact_id,
        "name": EVENT,
        "properties": props,
        "timestamp": at,
        "message_id": f"conversation-message-{message_id}",
        "received_at": at,
    }


def _quote_journey(session: Any, contact_id: int, conversation_id: int, now: int) -> None:
    """A new SMS conversation starts with the journey's text the contact is answering, so whoever reads the
    thread (an agent in the inbox) sees the question."""
    asked = store.last_journey_sms(session, contact_id=contact_id, since=now - LATE_WINDOW_S)
    body = str((asked or {}).get("payload", {}).get("body") or "")
    if asked and body:
        store.add_message(
            session, conversation_id=conversation_id, contact_id=contact_id, direction="out", author="journey",
            text=body[:MAX_TEXT], now=int(asked["created_at"]),
        )  # fmt: skip


def receive(
    ctx: AppContext, *, channel: str, contact_id: int, text: str, sender: str = "", provider_ref: str | None = None
) -> Received:
    """Store one message of a known contact and route it (see the module docstring)."""
    clean, cut = clean_text(text)
    found = intents.classify(ctx, clean)
    at = ctx.clock.now()
    now = int(at.timestamp())
    with ctx.db.write_session() as session:
        if provider_ref and store.message_by_ref(session, provider_ref=provider_ref) is not None:
            return Received("duplicate")  # the provider retried a delivery we already took
        conversation = store.open_conversation(session, contact_id=contact_id, channel=channel, now=now)
        if conversation.get("new") and channel == "sms":
            _quote_journey(session, contact_id, conversation["id"], now)
        values = {"intent": found.intent, "confidence": found.confidence, "provider_ref": provider_ref}
        message_id = store.add_message(
            session, conversation_id=conversation["id"], contact_id=contact_id, direction="in", author="contact",
            text=clean, now=now, truncated=cut, **values,
        )  # fmt: skip
        props = {"channel": channel, "text": clean, "conversation_id": conversation["id"], "from": sender}
        props |= {"intent": found.intent, "confidence": found.confidence, "message_id": message_id}
        props["answer"] = str(getattr(found.match, "answer", "") or "")[:MAX_TEXT] or None
        contact_store.insert_events(session, [_event(contact_id, props, message_id, at)])
        route = _route(store.reply_waits(session, contact_id=contact_id), channel, now)
        if route == "late" or (route == "free" and intents.faq_module() is None):
            store.set_status(session, conversation_id=conversation["id"], status="handed_over", now=now)
            conversation["status"] = "handed_over"
    wakeup.events_arrived()
    handled = "journey" if route == "journey" else "inbox"
    if route == "free" and conversation["status"] == "open":
        if intents.respond(ctx, conversation=conversation, message_id=message_id, text=clean, found=found):
            handled = "bot"
        else:
            with ctx.db.session() as session:
                store.set_status(session, conversation_id=conversation["id"], status="handed_over", now=now)
    return Received("received", conversation["id"], message_id, found.intent, handled)


def unknown_sender_policy(ctx: AppContext) -> str:
    return effective_settings(ctx).conversation_unknown_sender


def _anonymous(ctx: AppContext, **identity: str) -> int:
    with ctx.db.write_session() as session:
        return contact_store.insert_contacts(session, [identity], now=ctx.clock.now())[0]


def receive_sms(ctx: AppContext, *, sender: str, body: str, provider_ref: str | None = None) -> Received:
    """An inbound SMS: keywords first, then the sender's contact (or the unknown-number setting)."""
    word = sms_inbound.keyword(body)
    try:
        phone = normalize_phone(sender, ctx.settings.default_region, "from")
    except FieldError:
        return Received("dropped")
    if word is not None:
        outcome = sms_inbound.handle(ctx, phone, body)
        # START (or YES) from someone already subscribed is an answer, not a keyword: it goes on.
        if word != "start" or outcome == "started":
            return Received(outcome if outcome != "unknown" else "dropped")
    with ctx.db.session() as session:
        ids = consent_store.contacts_by_phone(session, phone)
    if not ids:
        if unknown_sender_policy(ctx) != "anonymous":
            return Received("dropped")
        ids = [_anonymous(ctx, phone=phone, anonymous_id=f"sms:{phone}")]
    return receive(ctx, channel="sms", contact_id=ids[0], text=body, sender=phone, provider_ref=provider_ref)


def receive_chat(ctx: AppContext, *, external_id: str, text: str) -> Received:
    """A message typed in the app's chat by the user known to it as ``external_id``."""
    with ctx.db.session() as session:
        contact_id = consent_store.contact_by_external_id(session, external_id)
    if contact_id is None:
        if unknown_sender_policy(ctx) != "anonymous":
            return Received("dropped")
        contact_id = _anonymous(ctx, external_id=external_id)
    return receive(ctx, channel="in_app", contact_id=contact_id, text=text, sender=external_id)
