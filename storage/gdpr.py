"""Queries of the GDPR area: system SMS replies, a contact's full data, erasure and retention."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import String, cast, delete, func, insert, literal_column, or_, select, text, update
from sqlmodel import Session, SQLModel

from storage.engine_models import InAppMessage, OutboxMessage
from storage.gdpr_models import ErasedIdentity
from storage.json_sql import JsonSql
from storage.models import Contact, Event
from storage.trust_models import AuditEntry

CONTACT = Contact.__table__
EVENT = Event.__table__
OUTBOX = OutboxMessage.__table__
IN_APP = InAppMessage.__table__
ERASED = ErasedIdentity.__table__
EMPTY = literal_column("'{}'")


def queue_system_sms(
    session: Session, *, message_id: str, contact: dict[str, Any], body: str, now: int, node_id: str = "sms_keyword"
) -> None:
    """A transactional SMS outside any journey (keyword replies, conversation answers), sent by the normal
    dispatcher; ``node_id`` names what sent it."""
    payload = {"body": body, "phone": contact["phone"], "external_id": contact["external_id"]}
    values = {
        "message_id": message_id,
        "journey_id": 0,
        "version_id": 0,
        "node_id": node_id,
        "contact_id": contact["id"],
        "channel": "sms",
        "transactional": True,
        "payload": payload,
        "created_at": now,
        "next_attempt_at": now,
    }
    session.execute(insert(OUTBOX), [values])


def contact_row(session: Session, contact_id: int) -> dict[str, Any] | None:
    row = session.execute(select(CONTACT).where(CONTACT.c.id == contact_id)).first()
    return None if row is None else dict(row._mapping)


def rows_of(session: Session, table: Any, contact_id: int) -> list[dict[str, Any]]:
    order = [table.c.id] if "id" in table.c else list(table.primary_key.columns)
    query = select(table).where(table.c.contact_id == contact_id).order_by(*order)
    return [dict(row._mapping) for row in session.execute(query)]


def is_erased(session: Session, digests: Iterable[str]) -> bool:
    values = list(digests)
    if not values:
        return False
    return session.execute(select(ERASED.c.digest).where(ERASED.c.digest.in_(values)).limit(1)).first() is not None


def remember_erased(session: Session, digests: Iterable[str], *, now: datetime) -> None:
    known = {d for (d,) in session.execute(select(ERASED.c.digest).where(ERASED.c.digest.in_(list(digests))))}
    rows = [{"digest": d, "erased_at": now} for d in set(digests) - known]
    if rows:
        session.execute(insert(ERASED), rows)


def forget_erased(session: Session, digests: Iterable[str]) -> None:
    session.execute(delete(ERASED).where(ERASED.c.digest.in_(list(digests))))


def contact_tables() -> list[Any]:
    """Every table with a ``contact_id`` column (engine, audience, consent, and any area added later)."""
    tables = [t for t in SQLModel.metadata.sorted_tables if "contact_id" in t.c and t is not CONTACT]
    return sorted(tables, key=lambda t: t.name)


def merged_profiles(session: Session, contact_id: int) -> list[dict[str, Any]]:
    """Profiles merged into this contact by an alias (directly or through other merged profiles)."""
    if "merged_into_id" not in CONTACT.c:
        return []
    found: list[dict[str, Any]] = []
    frontier = [contact_id]
    while frontier and len(found) < 10_000:
        rows = session.execute(select(CONTACT).where(CONTACT.c.merged_into_id.in_(frontier))).all()
        found.extend(dict(row._mapping) for row in rows)
        frontier = [row.id for row in rows]
    return found


def erase_rows(session: Session, contact_ids: list[int]) -> dict[str, int]:
    """Delete every row that belongs to these contacts, then the contacts; aggregate counters stay."""
    counts = {}
    for table in contact_tables():
        done = session.execute(delete(table).where(table.c.contact_id.in_(contact_ids)))
        counts[table.name] = done.rowcount or 0
    if "merged_into_id" in CONTACT.c:
        session.execute(update(CONTACT).where(CONTACT.c.merged_into_id.in_(contact_ids)).values(merged_into_id=None))
    session.execute(delete(CONTACT).where(CONTACT.c.id.in_(contact_ids)))
    return counts


def redact_audit(session: Session, needles: Iterable[str]) -> int:
    """Audit entries naming an erased identifier keep who/what/when but lose the target and details."""
    terms = [n for n in needles if n and len(n) >= 3]
    if not terms:
        return 0
    audit = AuditEntry.__table__
    text = func.coalesce(audit.c.target, "") + " " + func.coalesce(cast(audit.c.details, String), "")
    sql = JsonSql(session.get_bind().dialect.name)
    mentions = or_(*[sql.contains_text(func.lower(text), term.lower()) for term in terms])
    done = session.execute(update(audit).where(mentions).values(target="erased contact", details={"redacted": True}))
    return done.rowcount or 0


def purge_events(session: Session, *, before: datetime, limit: int) -> int:
    ids = select(EVENT.c.id).where(EVENT.c.timestamp < before).limit(limit).scalar_subquery()
    return session.execute(delete(EVENT).where(EVENT.c.id.in_(ids))).rowcount or 0


def blank_messages(session: Session, *, before: int, limit: int) -> int:
    """Outbox payloads of finished messages and in-app contents older than ``before`` become empty."""
    done = OUTBOX.c.status.in_(("sent", "failed", "sandbox"))
    ids = (
        select(OUTBOX.c.id)
        .where(done, OUTBOX.c.created_at < before, cast(OUTBOX.c.payload, String) != EMPTY)
        .limit(limit)
    )
    blanked = session.execute(update(OUTBOX).where(OUTBOX.c.id.in_(ids.scalar_subquery())).values(payload={})).rowcount
    ids = select(IN_APP.c.id).where(IN_APP.c.created_at < before, cast(IN_APP.c.content, String) != EMPTY).limit(limit)
    blanked_in_app = session.execute(
        update(IN_APP).where(IN_APP.c.id.in_(ids.scalar_subquery())).values(content={})
    ).rowcount
    return (blanked or 0) + (blanked_in_app or 0)


def overwrite_freed_pages(session: Session) -> None:
    """SQLite zeroes the pages this connection frees, so deleted PII does not linger in the file."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("PRAGMA secure_delete = ON"))


def checkpoint(engine: Any) -> None:
    """Fold the write-ahead log into the database and truncate it (older page images go with it)."""
    if engine.dialect.name == "sqlite":
        with engine.connect() as conn:
            conn.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")


def any_erased(session: Session) -> bool:
    return session.execute(select(ERASED.c.digest).limit(1)).first() is not None


def erased_among(session: Session, digests: list[str], chunk: int = 500) -> set[str]:
    """The digests of this list that belong to erased people, in chunks of bound parameters."""
    found: set[str] = set()
    for start in range(0, len(digests), chunk):
        part = digests[start : start + chunk]
        found.update(d for (d,) in session.execute(select(ERASED.c.digest).where(ERASED.c.digest.in_(part))))
    return found
