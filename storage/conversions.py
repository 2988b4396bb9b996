"""Conversions: a journey's goal event within its window after entry or after a message, once per enrollment.

Called by the engine with each batch of events, inside the batch's transaction, before new entries are made
(an event never converts the enrollment it creates). Attribution: journey, pinned version, variant and the
last message queued for that enrollment before the event. Revenue: the goal event's amount, converted to the
workspace currency when a rate is known (journeys/revenue.py); the enrollment's holdout group is copied.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from sqlalchemy import Connection, insert, select

from journeys.conditions import matches_filters
from journeys.metrics import channel_of
from journeys.revenue import RevenuePolicy, convert, event_amount
from storage.engine_models import Enrollment, OutboxMessage
from storage.funnel_log import Entry, write
from storage.funnel_models import Conversion

ENR = Enrollment.__table__
OUT = OutboxMessage.__table__
CONV = Conversion.__table__
IN_CHUNK = 900


def _enrollments(conn: Connection, contact_ids: list[int], now: int) -> list[Any]:
    out: list[Any] = []
    columns = (
        ENR.c.journey_id,
        ENR.c.version_id,
        ENR.c.contact_id,
        ENR.c.entry_no,
        ENR.c.context,
        ENR.c.entered_at,
        ENR.c.held_out,
    )
    for start in range(0, len(contact_ids), IN_CHUNK):
        chunk = contact_ids[start : start + IN_CHUNK]
        query = select(*columns).where(ENR.c.contact_id.in_(chunk), ENR.c.entered_at <= now)
        out.extend(conn.execute(query))
    return out


def _converted(conn: Connection, contact_ids: list[int]) -> set[tuple[int, int, int]]:
    done: set[tuple[int, int, int]] = set()
    for start in range(0, len(contact_ids), IN_CHUNK):
        chunk = contact_ids[start : start + IN_CHUNK]
        query = select(CONV.c.journey_id, CONV.c.contact_id, CONV.c.entry_no).where(CONV.c.contact_id.in_(chunk))
        done.update(tuple(row) for row in conn.execute(query))
    return done


def _last_messages(conn: Connection, contact_ids: list[int], now: int) -> dict[tuple[int, int, int], Any]:
    """(journey, contact, entry_no) -> the latest outbox row queued for it up to ``now``."""
    latest: dict[tuple[int, int, int], Any] = {}
    columns = (OUT.c.message_id, OUT.c.journey_id, OUT.c.contact_id, OUT.c.node_id, OUT.c.channel, OUT.c.created_at)
    for start in range(0, len(contact_ids), IN_CHUNK):
        chunk = contact_ids[start : start + IN_CHUNK]
        query = select(*columns).where(OUT.c.contact_id.in_(chunk), OUT.c.created_at <= now).order_by(OUT.c.id)
        for row in conn.execute(query):
            entry_no = row.message_id.split("-", 3)[2]
            if entry_no.isdigit():
                latest[(row.journey_id, row.contact_id, int(entry_no))] = row
    return latest


def _row(enr: Any, last: Any, properties: dict[str, Any], revenue: RevenuePolicy, now: int) -> dict[str, Any]:
    money = event_amount(properties)
    money = None if money is None else convert(money, revenue)
    return {
        "journey_id": enr.journey_id,
        "contact_id": enr.contact_id,
        "entry_no": enr.entry_no,
        "version_id": enr.version_id,
        "variant": str((enr.context or {}).get("variant", "")),
        "node_id": last.node_id if last is not None else "",
        "message_id": last.message_id if last is not None else None,
        "at": now,
        "revenue": None if money is None else money.amount,
        "currency": "" if money is None else money.currency,
        "held_out": enr.held_out or "",
    }


def _entry(row: dict[str, Any], channel: str) -> Entry:
    return Entry(
        row["journey_id"],
        row["version_id"],
        row["contact_id"],
        row["entry_no"],
        row["node_id"],
        row["variant"],
        channel,
        "converted",
        "",
        row["at"],
    )


def _reached(enr: Any, goal: Any, name: str, properties: Any, last: Any, now: int) -> bool:
    """Whether this event is the enrollment's goal, within the window after entry or its last message."""
    if goal is None or name != goal.event or not matches_filters(dict(properties or {}), goal.filters):
        return False
    since = max(enr.entered_at, last.created_at if last is not None else 0)
    return now - since <= goal.window.to_timedelta().total_seconds()


def record_conversions(
    conn: Connection,
    events: Sequence[Any],
    now: int,
    goal_of: Callable[[int], Any],
    node_types: Callable[[int], dict],
    goal_names: set[str] | None = None,
    revenue: RevenuePolicy | None = None,
) -> int:
    """Record conversions caused by ``events`` ((id, contact, name, properties) tuples), with their revenue.

    ``goal_of(version_id)`` gives the version's goal (or None). ``goal_names``, when given, are the goal
    events of running journeys: other events are skipped without a query (most events are not goals).
    ``revenue`` converts the goal event's amount into the workspace currency (default: no rates, EUR).
    """
    if goal_names is not None:
        events = [e for e in events if e[2] in goal_names]
    contact_ids = sorted({e[1] for e in events})
    by_contact: dict[int, list[Any]] = {}
    for row in _enrollments(conn, contact_ids, now) if contact_ids else []:
        by_contact.setdefault(row.contact_id, []).append(row)
    if not by_contact:
        return 0
    policy = revenue or RevenuePolicy()
    done = _converted(conn, sorted(by_contact))
    messages = _last_messages(conn, sorted(by_contact), now)
    rows, entries = [], []
    for _event_id, contact_id, name, properties in events:
        for enr in by_contact.get(contact_id, []):
            key = (enr.journey_id, enr.contact_id, enr.entry_no)
            last = messages.get(key)
            if key in done or not _reached(enr, goal_of(enr.version_id), name, properties, last, now):
                continue
            done.add(key)
            row = _row(enr, last, dict(properties or {}), policy, now)
            rows.append(row)
            node_id = row["node_id"]
            entries.append(_entry(row, channel_of(node_types(enr.version_id).get(node_id, "")) if node_id else ""))
    if rows:
        conn.execute(insert(CONV), rows)
        write(conn, entries)
    return len(rows)
