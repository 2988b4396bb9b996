"""GDPR rights for one contact: export everything held about them, erase every trace, block re-creation.

Erasure deletes the contact and every row of every table with a ``contact_id`` (events, outbox, in-app,
enrollments with their context, segment membership, consent history, and tables added by later areas),
redacts audit entries that name the person, and keeps only anonymous counters such as ``step_count``.
A keyed hash (HMAC with the workspace secret) of the email, phone and external id is kept so ingestion can
refuse to re-create the person unless they consent again (setting ``erase_blocks_recreation``).
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta
from typing import Any

import storage.all_models  # noqa: F401  (every table with contact_id must be known to erase it)
from app.access import audit
from app.audience.consent import UnknownContact  # one class: "no such contact" for privacy and consent alike
from app.core.context import AppContext
from storage import consent as consent_store
from storage import conversations
from storage import gdpr as store

PURGE_BATCH = 5_000


def identity_digests(settings: Any, *, email: Any = None, phone: Any = None, external_id: Any = None) -> list[str]:
    key = hashlib.sha256(f"parcours:erased:{settings.resolved_secret()}".encode()).digest()
    values = [f"email:{str(email).strip().lower()}" if email else None, f"phone:{phone}" if phone else None]
    values.append(f"external_id:{external_id}" if external_id else None)
    return [hmac.new(key, v.encode(), hashlib.sha256).hexdigest() for v in values if v]


def find_contact(ctx: AppContext, external_id: str) -> int | None:
    with ctx.db.session() as session:
        return consent_store.contact_by_external_id(session, external_id)


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    return value


def export_contact(ctx: AppContext, contact_id: int, *, actor: str) -> dict[str, Any]:
    """Profile, consent history and every row keyed to the contact, as JSON-ready data; audited."""
    with ctx.db.session() as session:
        profile = store.contact_row(session, contact_id)
        if profile is None:
            raise UnknownContact(contact_id)
        data: dict[str, Any] = {"profile": profile, "consent_history": consent_store.history(session, contact_id)}
        names = {"event": "events", "outbox": "messages", "in_app_message": "in_app", "enrollment": "journeys"}
        for table in store.contact_tables():
            if table.name != "consent_change":
                data[names.get(table.name, table.name)] = store.rows_of(session, table, contact_id)
        audit.record(ctx, actor, "contact.export", f"contact:{contact_id}", session=session)
    data["exported_at"] = ctx.clock.now().isoformat()
    return _jsonable(data)


def erase_contact(ctx: AppContext, contact_id: int, *, actor: str, ip: str | None = None) -> dict[str, int]:
    """Erase one contact in one transaction; the audit entry names only the internal id and the counts."""
    with ctx.db.session() as session:
        profile = store.contact_row(session, contact_id)
        if profile is None:
            raise UnknownContact(contact_id)
        store.overwrite_freed_pages(session)
        profiles = [profile, *store.merged_profiles(session, contact_id)]
        counts = store.erase_rows(session, [p["id"] for p in profiles])
        counts["merged_profiles"] = len(profiles) - 1
        keys = ("email", "phone", "external_id", "anonymous_id")
        needles = [str(p[k]) for p in profiles for k in keys if p.get(k)]
        counts["audit_redacted"] = store.redact_audit(session, needles)
        if ctx.settings.erase_blocks_recreation:
            digests = [
                d
                for p in profiles
                for d in identity_digests(
                    ctx.settings, email=p.get("email"), phone=p.get("phone"), external_id=p.get("external_id")
                )
            ]
            store.remember_erased(session, digests, now=ctx.clock.now())
        audit.record(ctx, actor, "contact.erase", f"contact:{contact_id}", counts, ip=ip, session=session)
    store.checkpoint(ctx.db.engine)
    return counts


def blocked(ctx: AppContext, session: Any, *, email: Any = None, phone: Any = None, external_id: Any = None) -> bool:
    """True when one of these identifiers belonged to an erased contact and re-creation is blocked."""
    return blocked_among(ctx, session, [{"email": email, "phone": phone, "external_id": external_id}])[0]


def blocked_among(ctx: AppContext, session: Any, people: list[dict[str, Any]]) -> list[bool]:
    """``blocked`` for each of these people (``email``, ``phone``, ``external_id``), in one query."""
    if not ctx.settings.erase_blocks_recreation:
        return [False] * len(people)
    digests = [identity_digests(ctx.settings, **who) for who in people]
    erased = store.erased_among(session, [d for found in digests for d in found])
    return [any(d in erased for d in found) for found in digests]


def allow_again(
    ctx: AppContext, session: Any, *, email: Any = None, phone: Any = None, external_id: Any = None
) -> None:
    """The person consented again: their identifiers may be used from now on."""
    store.forget_erased(session, identity_digests(ctx.settings, email=email, phone=phone, external_id=external_id))


def purge_expired(ctx: AppContext, *, batch: int = PURGE_BATCH) -> dict[str, int]:
    """Delete raw events and blank message bodies older than the retention settings, batch by batch."""
    now = ctx.clock.now()
    result = {"events": 0, "messages": 0}
    if ctx.settings.retention_events_days:
        before = now - timedelta(days=ctx.settings.retention_events_days)
        result["events"] = _drain(ctx, lambda s: store.purge_events(s, before=before, limit=batch))
    if ctx.settings.retention_messages_days:
        cutoff = int((now - timedelta(days=ctx.settings.retention_messages_days)).timestamp())
        result["messages"] = _drain(ctx, lambda s: store.blank_messages(s, before=cutoff, limit=batch))
        # Conversation turns (SMS and chat replies, answers) are message bodies too.
        result["messages"] += _drain(ctx, lambda s: conversations.blank_turns(s, before=cutoff, limit=batch))
    if any(result.values()):
        audit.record(ctx, "system", "retention.purge", "", result)
    return result


def _drain(ctx: AppContext, step: Any) -> int:
    total = 0
    while True:
        with ctx.db.session() as session:
            done = step(session)
        total += done
        if not done:
            return total


def refuse_erased(ctx: AppContext, session: Any, items: list[Any]) -> list[dict[str, Any]]:
    """Problems for tracking messages that would bring back an erased person without ``reconsent: true``.

    ``items`` are ingestion's prepared messages (``user_id``, ``columns``, ``attributes``); a message whose
    traits carry ``reconsent: true`` lifts the block for its identifiers instead. One query when nothing was
    ever erased, two otherwise, whatever the batch size.
    """
    if not ctx.settings.erase_blocks_recreation or not store.any_erased(session):
        return []
    wanted: dict[int, list[str]] = {}
    for index, item in enumerate(items):
        ids = {"external_id": item.user_id, "email": item.columns.get("email"), "phone": item.columns.get("phone")}
        if not any(ids.values()):
            continue
        if item.attributes.pop("reconsent", None) is True:
            allow_again(ctx, session, **ids)
        else:
            wanted[index] = identity_digests(ctx.settings, **ids)
    found = store.erased_among(session, [d for digests in wanted.values() for d in digests])
    message = "this person was erased; send the trait reconsent: true once they have consented again"
    return [
        {"index": index, "field": "userId", "message": message}
        for index, digests in wanted.items()
        if found.intersection(digests)
    ]


def skip_erased(ctx: AppContext, session: Any, records: list[tuple[int, dict[str, Any]]], rejected: list[Any]) -> list:
    """CSV rows of erased people are left out (and reported by line) unless their ``reconsent`` column is true."""
    if not ctx.settings.erase_blocks_recreation or not store.any_erased(session):
        return records
    digests: dict[int, list[str]] = {}
    for position, (_line, record) in enumerate(records):
        ids = {k: record.get(k) for k in ("external_id", "email", "phone")}
        if record.get("attributes", {}).pop("reconsent", None) is True:
            allow_again(ctx, session, **ids)
        elif any(ids.values()):
            digests[position] = identity_digests(ctx.settings, **ids)
    found = store.erased_among(session, [d for values in digests.values() for d in values])
    kept = []
    for position, (line, record) in enumerate(records):
        if found.intersection(digests.get(position, ())):
            rejected.append((line, "this person was erased; add a reconsent column set to true once they consent"))
        else:
            kept.append((line, record))
    return kept
