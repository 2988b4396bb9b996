"""Ingestion's set-based statements on PostgreSQL (storage/contacts.py keeps SQLite's and the logic).

A batch of 500 events was 500 INSERTs in psycopg's pipeline, and each lookup an ``IN`` list of 500 bound
parameters compiled by SQL Core: here each is one statement whose values travel as typed arrays. The SQL text
is fixed in code; values are parameters, never SQL.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql
from sqlmodel import Session

from storage import raw
from storage.types import UTCDateTime

_INSERT_EVENTS = (
    "INSERT INTO event (contact_id, name, properties, timestamp, message_id, received_at)"
    " SELECT c, n, p::jsonb, t, m, r"
    " FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::timestamp[], %s::text[], %s::timestamp[])"
    " AS v(c, n, p, t, m, r)"
    " ON CONFLICT (message_id) DO NOTHING"
)


def take_turns_on(session: Session, external_ids: list[str]) -> None:
    """Until this transaction ends, other transactions creating any of these people wait for it. The locks are
    taken in sorted order, so two batches naming the same new people in different orders cannot deadlock,
    while the contacts are still inserted (and numbered) in the order the batch gave them."""
    if external_ids:
        session.connection().exec_driver_sql(_TURNS, (external_ids,))


PEOPLE_LOCKS = 7_315_002  # the advisory lock space of new people's external ids (two-key form: its own space)
_TURNS = f"SELECT count(pg_advisory_xact_lock({PEOPLE_LOCKS}, hashtext(k))) FROM unnest(%s::text[]) AS t(k)"


_UTC = UTCDateTime()


def naive_utc(value: datetime | None) -> datetime | None:
    """A ``timestamp`` column's stored value (UTCDateTime's own rule): arrays bypass the column type."""
    return _UTC.process_bind_param(value, postgresql.dialect())


def insert_events(session: Session, rows: Sequence[dict[str, Any]]) -> None:
    """One INSERT for the whole batch; a messageId already stored (a retry racing in another process) is
    skipped, as on SQLite."""
    columns: list[list[Any]] = [[], [], [], [], [], []]
    for r in rows:
        columns[0].append(r["contact_id"])
        columns[1].append(r["name"])
        columns[2].append(raw.dumps(r["properties"]))
        columns[3].append(naive_utc(r["timestamp"]))
        columns[4].append(r.get("message_id"))
        columns[5].append(naive_utc(r["received_at"]))
    session.connection().exec_driver_sql(_INSERT_EVENTS, tuple(columns))


def select_any(session: Session, sql: str, values: Sequence[Any]) -> Iterator[Any]:
    """Rows of ``sql`` (static text ending in ``IN ({})``) with ``= ANY`` of one array parameter instead."""
    if not values:
        return iter(())
    text = sql.replace(" IN ({})", " = ANY(%s)")
    return iter(session.connection().exec_driver_sql(text, (list(values),)).fetchall())


def update_seen(session: Session, names: Sequence[str], rows: list[tuple[int, dict[str, Any]]], now: datetime) -> None:
    """``touch_contacts``' UPDATE for every changed contact in one statement (storage/bulk_pg.py's unnest)."""
    sql = f"UPDATE contact SET {', '.join(f'{n} = ?' for n in names)}, updated_at = ? WHERE id = ?"
    stamp = naive_utc(now)
    values = [tuple([*(_plain(w[n]) for n in names), stamp, cid]) for cid, w in rows]
    raw.execute_many(session.connection(), sql, values)


def _plain(value: Any) -> Any:
    return naive_utc(value) if isinstance(value, datetime) else value
