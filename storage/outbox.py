"""Outbox queries: claim with a lease, fix batch keys before sending, record outcomes, in-app inbox."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, bindparam, func, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from storage.engine_models import InAppMessage, OutboxMessage
from storage.models import Contact

OUT = OutboxMessage.__table__
INBOX = InAppMessage.__table__


def claim(conn: Connection, *, now: int, limit: int, lease_s: int) -> list[Any]:
    """Pending messages that are due, leased to this dispatcher until ``now + lease_s``."""
    query = (
        select(OUT)
        .where(OUT.c.status == "pending", OUT.c.next_attempt_at <= now)
        .order_by(OUT.c.next_attempt_at, OUT.c.id)
        .limit(limit)
    )
    if conn.dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    rows = list(conn.execute(query))
    # A batch whose key is fixed must leave whole: its idempotency key stands for all its recipients.
    keys = sorted({r.batch_key for r in rows if r.batch_key})
    if keys:
        seen = {r.id for r in rows}
        extra = select(OUT).where(OUT.c.status == "pending", OUT.c.batch_key.in_(keys))
        rows.extend(r for r in conn.execute(extra) if r.id not in seen)
    if rows:
        conn.execute(
            update(OUT).where(OUT.c.id == bindparam("b_id")).values(next_attempt_at=bindparam("lease")),
            [{"b_id": r.id, "lease": now + lease_s} for r in rows],
        )
    return rows


def set_batch_keys(conn: Connection, keys: dict[int, str]) -> None:
    if keys:
        conn.execute(
            update(OUT).where(OUT.c.id == bindparam("b_id")).values(batch_key=bindparam("key")),
            [{"b_id": i, "key": k} for i, k in keys.items()],
        )


def record(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Write outcomes: each dict has b_id, status, provider, attempts, next_attempt_at, last_error, ..."""
    if rows:
        conn.execute(
            update(OUT)
            .where(OUT.c.id == bindparam("b_id"))
            .values(
                status=bindparam("status"),
                provider=bindparam("provider"),
                attempts=bindparam("attempts"),
                next_attempt_at=bindparam("next_attempt_at"),
                last_error=bindparam("last_error"),
                provider_ref=bindparam("provider_ref"),
                sent_at=bindparam("sent_at"),
            ),
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
