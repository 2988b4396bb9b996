"""Outbox queries: claim with a lease, fix batch keys before sending, record outcomes, in-app inbox."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage import raw
from storage.engine_models import InAppMessage, OutboxMessage
from storage.models import Contact
from storage.quarantine import Parked, park, reason

OUT = OutboxMessage.__table__
INBOX = InAppMessage.__table__


CLAIM_COLUMNS = (
    "id, message_id, journey_id, version_id, node_id, variant, contact_id, channel, payload, attempts, batch_key"
)


@dataclass
class Claimed:
    id: int
    message_id: str
    journey_id: int
    version_id: int
    node_id: str
    variant: str
    contact_id: int
    channel: str
    payload: dict[str, Any]
    attempts: int
    batch_key: str | None


def _claimed(row: Any) -> Claimed:
    payload = raw.loads(row[8])
    if not isinstance(payload, dict):
        raise ValueError(f"payload is a JSON {type(payload).__name__}, not an object")
    return Claimed(*row[:8], payload, row[9], row[10])


def _decode(rows: list[Any], bad: list[Parked]) -> list[Claimed]:
    out = []
    for row in rows:
        try:  # free unless it raises; an unreadable payload is parked, the others leave
            out.append(_claimed(row))
        except ValueError as exc:
            bad.append(Parked("outbox", row[0], reason(exc)))
    return out


def claim(conn: Connection, *, now: int, limit: int, lease_s: int) -> list[Claimed]:
    """Pending messages that are due, leased to this dispatcher until ``now + lease_s``.

    Messages of paused journeys wait (transactional ones excepted) and leave once the journey resumes.
    Rows whose payload cannot be read are parked in quarantine instead."""
    statement = (
        f"SELECT {CLAIM_COLUMNS} FROM outbox WHERE status = 'pending' AND next_attempt_at <= ?"
        " AND (transactional OR journey_id NOT IN (SELECT id FROM journey WHERE status = 'paused'))"
        " ORDER BY next_attempt_at, id LIMIT ?"
    )
    if conn.dialect.name == "postgresql":
        statement += " FOR UPDATE SKIP LOCKED"
    bad: list[Parked] = []
    rows = _decode(raw.fetch(conn, statement, [now, limit]), bad)
    # A batch whose key is fixed must leave whole: its idempotency key stands for all its recipients.
    keys = sorted({r.batch_key for r in rows if r.batch_key})
    seen = {r.id for r in rows}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        extra = (
            f"SELECT {CLAIM_COLUMNS} FROM outbox WHERE status = 'pending'"
            f" AND batch_key IN ({raw.placeholders(len(chunk))})"
        )
        rows.extend(c for c in _decode(raw.fetch(conn, extra, chunk), bad) if c.id not in seen)
    park(conn, bad, now)
    raw.execute_many(conn, "UPDATE outbox SET next_attempt_at = ? WHERE id = ?", [(now + lease_s, r.id) for r in rows])
    return rows


def set_batch_keys(conn: Connection, keys: dict[int, str]) -> None:
    raw.execute_many(conn, "UPDATE outbox SET batch_key = ? WHERE id = ?", [(k, i) for i, k in keys.items()])


def record(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Outcomes as (status, provider, attempts, next_attempt_at, last_error, provider_ref, sent_at, id)."""
    raw.execute_many(
        conn,
        "UPDATE outbox SET status = ?, provider = ?, attempts = ?, next_attempt_at = ?, last_error = ?,"
        " provider_ref = ?, sent_at = ? WHERE id = ?",
        rows,
    )


def store_in_app(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Put in-app messages in the contacts' inboxes; a message already there is left as it is."""
    if not rows:
        return
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    conn.execute(maker(INBOX).on_conflict_do_nothing(index_elements=["message_id"]), rows)


def inbox(conn: Connection, *, external_id: str, now: int, unread_only: bool = True) -> list[Any] | None:
    """A contact's live in-app messages, newest first; None when no such contact exists."""
    contact_id = conn.execute(select(Contact.__table__.c.id).where(Contact.__table__.c.external_id == external_id))
    found = contact_id.scalar_one_or_none()
    if found is None:
        return None
    query = (
        select(INBOX)
        .where(INBOX.c.contact_id == found, INBOX.c.expires_at > now)
        .order_by(INBOX.c.created_at.desc(), INBOX.c.id.desc())
        .limit(100)
    )
    if unread_only:
        query = query.where(INBOX.c.read_at.is_(None))
    return list(conn.execute(query))


def mark_read(conn: Connection, *, external_id: str, message_id: str, now: int) -> bool:
    contact = select(Contact.__table__.c.id).where(Contact.__table__.c.external_id == external_id).scalar_subquery()
    result = conn.execute(
        update(INBOX)
        .where(INBOX.c.message_id == message_id, INBOX.c.contact_id == contact)
        .values(read_at=func.coalesce(INBOX.c.read_at, now))
    )
    return result.rowcount == 1


def listing(conn: Connection, *, status: str | None = None, limit: int = 100) -> list[Any]:
    query = select(OUT).order_by(OUT.c.id.desc()).limit(limit)
    if status:
        query = query.where(OUT.c.status == status)
    return list(conn.execute(query))


def status_counts(conn: Connection) -> dict[str, int]:
    return dict(conn.execute(select(OUT.c.status, func.count()).group_by(OUT.c.status)).all())


__all__ = ["claim", "inbox", "insert", "listing", "mark_read", "record", "set_batch_keys", "store_in_app"]
