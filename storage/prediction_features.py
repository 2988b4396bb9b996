"""What predictions learn from, as of a cutoff time: per contact recency, frequency, order revenue, counts of each
event type over 7, 30 and 90 days, and engagement with messages (sent, opened, clicked from the step log).

Each part is one grouped query over the whole table (never a query per contact); the JSON reading of order
revenue is written for SQLite and for PostgreSQL.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Float, and_, case, cast, func, literal, select

from journeys.revenue import AMOUNT_KEYS
from storage.funnel_models import StepLog
from storage.models import Contact, Event

EVENT = Event.__table__  # type: ignore[attr-defined]
CONTACT = Contact.__table__  # type: ignore[attr-defined]
LOG = StepLog.__table__  # type: ignore[attr-defined]
ORDER_EVENT = "Order Completed"
WINDOWS = (7, 30, 90)
ENGAGEMENT = ("sent", "opened", "clicked")
BASE = ("recency_days", "tenure_days", "frequency", "frequency_90", "monetary", "monetary_90", "orders")
SHARE_DAYS = 90
DAY = 86_400.0


def engagement_names() -> list[str]:
    return [f"{metric}_{days}" for days in (30, 90) for metric in ENGAGEMENT]


def count_name(event: str, days: int) -> str:
    return f"count_{days}:{event}"


def share_name(event: str) -> str:
    return f"share_{SHARE_DAYS}:{event}"


def feature_names(events: Sequence[str]) -> list[str]:
    """The columns of a feature row, in order, for a model counting ``events``: each event type's counts over
    7, 30 and 90 days and its share of all the contact's events over 90 days (how they use the app or site)."""
    per_event = [name for e in events for name in (*(count_name(e, d) for d in WINDOWS), share_name(e))]
    return [*BASE, *engagement_names(), *per_event]


def _number(conn: Connection, key: str) -> Any:
    """The property ``key`` of an event where it is a JSON number, else NULL (never an error)."""
    props = EVENT.c.properties
    if conn.dialect.name == "postgresql":
        field = props.op("->")(literal(key))
        return case((func.jsonb_typeof(field) == "number", cast(props.op("->>")(literal(key)), Float)), else_=None)
    path = literal(f'$."{key}"')
    valid = func.json_valid(props) == 1
    return case(
        (and_(valid, func.json_type(props, path).in_(("integer", "real"))), func.json_extract(props, path)), else_=None
    )


def _amount(conn: Connection) -> Any:
    return func.coalesce(*(_number(conn, key) for key in AMOUNT_KEYS))


def contacts_with_events(conn: Connection, cutoff: datetime) -> list[int]:
    """Contacts that did anything at or before ``cutoff``: who a model learns from."""
    query = select(EVENT.c.contact_id).where(EVENT.c.timestamp <= cutoff).group_by(EVENT.c.contact_id)
    return sorted(int(row[0]) for row in conn.execute(query))


def top_events(conn: Connection, cutoff: datetime, *, limit: int, days: int = 90) -> list[str]:
    """The ``limit`` commonest event names in the ``days`` before ``cutoff`` (ties by name)."""
    count = func.count().label("n")
    query = (
        select(EVENT.c.name, count)
        .where(EVENT.c.timestamp > cutoff - timedelta(days=days), EVENT.c.timestamp <= cutoff)
        .group_by(EVENT.c.name)
        .order_by(count.desc(), EVENT.c.name)
        .limit(limit)
    )
    return [row[0] for row in conn.execute(query)]


def converted(conn: Connection, goal: str, start: datetime, end: datetime) -> set[int]:
    """Contacts who did ``goal`` in (start, end]."""
    query = (
        select(EVENT.c.contact_id)
        .where(EVENT.c.name == goal, EVENT.c.timestamp > start, EVENT.c.timestamp <= end)
        .group_by(EVENT.c.contact_id)
    )
    return {int(row[0]) for row in conn.execute(query)}


def _since(column: Any, start: Any) -> Any:
    return func.sum(case((column > start, 1), else_=0))


def _activity(conn: Connection, cutoff: datetime, rows: dict[int, dict[str, float]], span: Any) -> None:
    ts = EVENT.c.timestamp
    recent = _since(ts, cutoff - timedelta(days=SHARE_DAYS))
    query = (
        select(EVENT.c.contact_id, func.min(ts), func.max(ts), func.count(), recent)
        .where(ts <= cutoff, span(EVENT.c.contact_id))
        .group_by(EVENT.c.contact_id)
    )
    for contact_id, first, last, count, count_recent in conn.execute(query):
        row = rows.get(int(contact_id))
        if row is not None:
            row["recency_days"] = (cutoff - last).total_seconds() / DAY
            row["tenure_days"] = (cutoff - first).total_seconds() / DAY
            row["frequency"], row["frequency_90"] = float(count), float(count_recent or 0)


def _orders(conn: Connection, cutoff: datetime, rows: dict[int, dict[str, float]], span: Any) -> None:
    amount = _amount(conn)
    recent = cutoff - timedelta(days=90)
    query = (
        select(
            EVENT.c.contact_id,
            func.coalesce(func.sum(amount), 0.0),
            func.coalesce(func.sum(case((EVENT.c.timestamp > recent, amount), else_=0.0)), 0.0),
            func.count(),
        )
        .where(EVENT.c.name == ORDER_EVENT, EVENT.c.timestamp <= cutoff, span(EVENT.c.contact_id))
        .group_by(EVENT.c.contact_id)
    )
    for contact_id, total, total_90, count in conn.execute(query):
        row = rows.get(int(contact_id))
        if row is not None:
            row["monetary"], row["monetary_90"], row["orders"] = float(total), float(total_90), float(count)


def _counts(
    conn: Connection, cutoff: datetime, events: Sequence[str], rows: dict[int, dict[str, float]], span: Any
) -> None:
    if not events:
        return
    ts = EVENT.c.timestamp
    sums = [_since(ts, cutoff - timedelta(days=days)) for days in WINDOWS]
    query = (
        select(EVENT.c.contact_id, EVENT.c.name, *sums)
        .where(EVENT.c.name.in_(list(events)), ts > cutoff - timedelta(days=max(WINDOWS)), ts <= cutoff)
        .where(span(EVENT.c.contact_id))
        .group_by(EVENT.c.contact_id, EVENT.c.name)
    )
    for contact_id, name, *counts in conn.execute(query):
        row = rows.get(int(contact_id))
        if row is not None:
            for days, value in zip(WINDOWS, counts, strict=True):
                row[count_name(name, days)] = float(value or 0)


def _engagement(conn: Connection, cutoff: datetime, rows: dict[int, dict[str, float]], span: Any) -> None:
    end = int(cutoff.timestamp())
    sums = [
        func.sum(case((and_(LOG.c.metric == metric, LOG.c.at > end - days * 86_400), 1), else_=0))
        for days in (30, 90)
        for metric in ENGAGEMENT
    ]
    query = (
        select(LOG.c.contact_id, *sums)
        .where(LOG.c.metric.in_(ENGAGEMENT), LOG.c.at > end - 90 * 86_400, LOG.c.at <= end, span(LOG.c.contact_id))
        .group_by(LOG.c.contact_id)
    )
    names = engagement_names()
    for contact_id, *counts in conn.execute(query):
        row = rows.get(int(contact_id))
        if row is not None:
            row.update({name: float(value or 0) for name, value in zip(names, counts, strict=True)})


def features(
    conn: Connection, cutoff: datetime, events: Sequence[str], contact_ids: Iterable[int]
) -> dict[int, dict[str, float]]:
    """Each contact's feature row as of ``cutoff`` (zero counts; recency and tenure missing without events)."""
    zero = dict.fromkeys(feature_names(events), 0.0)
    zero["recency_days"] = zero["tenure_days"] = float("nan")
    rows = {int(contact_id): dict(zero) for contact_id in contact_ids}
    if not rows:
        return rows
    low, high = min(rows), max(rows)

    def span(column: Any) -> Any:  # only the id range asked for: scoring in chunks reads each chunk's events once
        return column.between(low, high)

    _activity(conn, cutoff, rows, span)
    _orders(conn, cutoff, rows, span)
    _counts(conn, cutoff, events, rows, span)
    _engagement(conn, cutoff, rows, span)
    for row in rows.values():
        total = row["frequency_90"]
        for event in events:
            row[share_name(event)] = row[count_name(event, SHARE_DAYS)] / total if total else 0.0
    return rows


def all_contacts(conn: Connection) -> list[int]:
    """Every contact: who gets a score (one without events has missing recency and zero counts)."""
    return [int(i) for i in conn.execute(select(CONTACT.c.id).order_by(CONTACT.c.id)).scalars()]
