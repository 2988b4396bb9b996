"""Inbound SMS keywords: STOP (and its synonyms) unsubscribes and confirms once, START resubscribes, HELP
answers. Replies are transactional outbox messages sent by the usual dispatcher.
"""

from __future__ import annotations

import hashlib
import hmac
import uuid

from app.audience import consent
from app.audience.contact_fields import FieldError, normalize_phone
from app.core.context import AppContext
from storage import consent as consent_store
from storage import gdpr as store

STOP_WORDS = frozenset({"STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "ARRET", "ARRÊT"})
START_WORDS = frozenset({"START", "UNSTOP", "YES"})
HELP_WORDS = frozenset({"HELP", "INFO", "AIDE"})


def keyword(body: str) -> str | None:
    """ "stop" for STOP words, "start", "help", or None; only the first word counts, case-insensitively."""
    words = (body or "").strip().split()
    word = words[0].upper().strip(".!") if words else ""
    if word in STOP_WORDS:
        return "stop"
    if word in START_WORDS:
        return "start"
    if word in HELP_WORDS:
        return "help"
    return None


def authentic(secret: str, body: bytes, signature: str | None, token: str | None) -> bool:
    """The request carries HMAC-SHA256(secret, raw body) in hex, or the shared secret itself as a token."""
    if not secret:
        return False
    if signature:
        expected = hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
        given = signature.strip().lower().removeprefix("sha256=")
        return hmac.compare_digest(given.encode("utf-8", "replace"), expected.encode())  # bytes: any text compares
    return bool(token) and hmac.compare_digest(token.encode("utf-8", "replace"), secret.encode())


def handle(ctx: AppContext, sender: str, body: str) -> str:
    """Apply a keyword from ``sender``; the outcome: stopped, already_stopped, started, help, ignored, unknown."""
    word = keyword(body)
    try:
        phone = normalize_phone(sender, ctx.settings.default_region, "from")
    except FieldError:
        return "unknown"
    with ctx.db.session() as session:
        contact_ids = consent_store.contacts_by_phone(session, phone)
        if not contact_ids:
            return "unknown"
        if word is None:
            return "ignored"
        contact = store.contact_row(session, contact_ids[0])
        assert contact is not None
        now = int(ctx.clock.now().timestamp())
        if word == "help":
            _reply(session, contact, ctx.settings.sms_help_text, f"help:{uuid.uuid4().hex}", now)
            return "help"
        # Every contact sharing the number stops (or starts): the person owns the phone, not the profile.
        status = "unsubscribed" if word == "stop" else "subscribed"
        changed = [
            consent.set_consent(ctx, cid, "sms", status, "sms_keyword", f"sms:{phone}", session=session).changed
            for cid in contact_ids
        ]
        if not any(changed):
            return "already_stopped" if word == "stop" else "already_started"
        if word == "stop":
            _reply(session, contact, ctx.settings.sms_stop_text, f"stop:{uuid.uuid4().hex}", now)
            return "stopped"
        return "started"


def _reply(session: object, contact: dict[str, object], text: str, suffix: str, now: int) -> None:
    message_id = f"sms-keyword:{contact['id']}:{suffix}"
    store.queue_system_sms(session, message_id=message_id, contact=contact, body=text, now=now)  # type: ignore[arg-type]
