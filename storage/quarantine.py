"""Dead-letter queries: park rows that cannot be processed, list them, put them back or discard them.

Parking writes the entry and sets the row's own status in the caller's transaction, so a row is never
parked without its reason (or the reverse). Events have no status: the engine's cursor simply moves past them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, func, select
from sqlalchemy.exc import StatementError

from storage import raw
from storage.quarantine_models import QuarantinedRow

QUA = QuarantinedRow.__table__
KINDS = ("event", "enrollment", "outbox")
# kind -> (table, journey column expression); the parked row's own table tells journey and contact.
_SOURCES = {"event": ("event", "NULL"), "enrollment": ("enrollment", "journey_id"), "outbox": ("outbox", "journey_id")}
REASON_CHARS = 300


@dataclass(frozen=True)
class Parked:
    kind: str
    row_id: int
    reason: str


def reason(exc: BaseException) -> str:
    """Exception type and the first line of its message. Driver errors are named by their cause only: the
    statement and its parameters (contact data) stay out of the table."""
    cause: BaseException = exc.orig if isinstance(exc, StatementError) and exc.orig is not None else exc
    text = str(cause).strip().splitlines()
    return f"{type(cause).__name__}: {text[0] if text else ''}".rstrip(": ")[:REASON_CHARS]


def park(conn: Connection, rows: list[Parked], now: int) -> None:
    """Record each row with its reason (replacing an earlier entry for it) and take it out of the work queues."""
    for kind in KINDS:
        mine = [r for r in rows if r.kind == kind]
        if not mine:
            continue
        table, journey = _SOURCES[kind]
        raw.execute_many(conn, "DELETE FROM quarantine WHERE kind = ? AND row_id = ?", [(kind, r.row_id) for r in mine])
        raw.execute_many(
            conn,
            "INSERT INTO quarantine (kind, row_id, journey_id, contact_id, reason, created_at)"
            f" SELECT ?, id, {journey}, contact_id, ?, ? FROM {table} WHERE id = ?",
            [(kind, r.reason[:REASON_CHARS], now, r.row_id) for r in mine],
        )
        if kind == "enrollment":
            raw.execute_many(
                conn,
                "UPDATE enrollment SET status = 'quarantined', updated_at = ? WHERE id = ?",
                [(now, r.row_id) for r in mine],
            )
        elif kind == "outbox":
            raw.execute_many(
                conn,
                "UPDATE outbox SET status = 'quarantined', last_error = ? WHERE id = ?",
                [(r.reason[:REASON_CHARS], r.row_id) for r in mine],
            )


def count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).select_from(QUA)).scalar_one())


def listing(conn: Connection, *, limit: int = 500) -> list[Any]:
    """Newest first."""
    return list(conn.execute(select(QUA).order_by(QUA.c.created_at.desc(), QUA.c.id.desc()).limit(limit)))


def get(conn: Connection, entry_id: int) -> Any | None:
    return conn.execute(select(QUA).where(QUA.c.id == entry_id)).one_or_none()


def release(conn: Connection, entry: Any, now: int) -> None:
    """Put a parked enrollment or message back in its queue, due now, and drop the entry.

    Events need the engine to run them again; the caller does that before calling this."""
    if entry.kind == "enrollment":
        raw.execute_many(
            conn,
            "UPDATE enrollment SET status = 'active', due_at = ?, updated_at = ?"
            " WHERE id = ? AND status = 'quarantined'",
            [(now, now, entry.row_id)],
        )
    elif entry.kind == "outbox":
        raw.execute_many(
            conn,
            "UPDATE outbox SET status = 'pending', next_attempt_at = ?, last_error = NULL"
            " WHERE id = ? AND status = 'quarantined'",
            [(now, entry.row_id)],
        )
    conn.execute(delete(QUA).where(QUA.c.id == entry.id))


def discard(conn: Connection, entry: Any, now: int) -> None:
    """Give up on a parked row: enrollments and messages end as failed, and the entry is dropped."""
    if entry.kind == "enrollment":
        raw.execute_many(
            conn,
            "UPDATE enrollment SET status = 'failed', updated_at = ? WHERE id = ? AND status = 'quarantined'",
            [(now, entry.row_id)],
        )
    elif entry.kind == "outbox":
        raw.execute_many(
            conn,
            "UPDATE outbox SET status = 'failed', last_error = ? WHERE id = ? AND status = 'quarantined'",
            [(f"discarded from quarantine: {entry.reason}"[:500], entry.row_id)],
        )
    conn.execute(delete(QUA).where(QUA.c.id == entry.id))
