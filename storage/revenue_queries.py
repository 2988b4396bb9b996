"""Reads for revenue and ROI: attributed revenue by journey, variant and message, recipients, holdout groups.

Revenue is summed per currency: the workspace currency is the converted total, any other code is revenue that
had no rate (shown as unconverted, never added in). Ranges are [start, end) in epoch seconds; None is open.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, and_, case, func, select

from storage.engine_models import Enrollment, OutboxMessage
from storage.funnel_log import LOG
from storage.funnel_models import Conversion

ENR = Enrollment.__table__
CONV = Conversion.__table__
KEYS = {"journey": CONV.c.journey_id, "variant": CONV.c.variant, "message": CONV.c.node_id}


@dataclass(frozen=True)
class Amount:
    key: Any  # a journey id, a variant or a message node id
    currency: str
    revenue: float
    conversions: int  # conversions that carried revenue in this currency


@dataclass(frozen=True)
class GroupCounts:
    """Entrants of one holdout group ("" treated, "holdout", "control_group") and their conversions."""

    entrants: int
    conversions: int
    revenue: float  # workspace currency only
    revenue_squares: float


def _within(column: Any, start: int | None, end: int | None) -> list[Any]:
    out = []
    if start is not None:
        out.append(column >= start)
    if end is not None:
        out.append(column < end)
    return out


def revenue_by(
    conn: Connection, by: str, *, journey_id: int | None = None, start: int | None = None, end: int | None = None
) -> list[Amount]:
    """Revenue of conversions in [start, end) per ``by`` (journey, variant or message) and currency.

    Conversions of held-out contacts are left out: they got no message, nothing is attributed to one.
    """
    key = KEYS[by]
    where = [CONV.c.revenue.is_not(None), CONV.c.held_out == "", *_within(CONV.c.at, start, end)]
    if journey_id is not None:
        where.append(CONV.c.journey_id == journey_id)
    query = (
        select(key, CONV.c.currency, func.sum(CONV.c.revenue), func.count())
        .where(*where)
        .group_by(key, CONV.c.currency)
    )
    return [Amount(k, cur, float(total or 0), int(n)) for k, cur, total, n in conn.execute(query)]


def recipients(
    conn: Connection, journey_id: int, *, start: int | None = None, end: int | None = None
) -> tuple[int, dict[str, int], dict[str, int]]:
    """Distinct contacts messaged by a journey in the range: in all, per variant, and per message step.

    Reads the step log through its journey index (one journey's rows): callers refresh it every few seconds.
    """
    base = [LOG.c.journey_id == journey_id, LOG.c.metric == "messaged", *_within(LOG.c.at, start, end)]
    distinct = func.count(func.distinct(LOG.c.contact_id))
    total = conn.execute(select(distinct).where(*base)).scalar_one()
    variants = conn.execute(select(LOG.c.variant, distinct).where(*base).group_by(LOG.c.variant))
    nodes = conn.execute(select(LOG.c.node_id, distinct).where(*base).group_by(LOG.c.node_id))
    return int(total or 0), {v: int(n) for v, n in variants}, {k: int(n) for k, n in nodes}


def holdout_groups(
    conn: Connection,
    currency: str,
    *,
    journey_id: int | None = None,
    start: int | None = None,
    end: int | None = None,
) -> dict[str, GroupCounts]:
    """Held-out group -> entrants in [start, end) and the conversions and revenue of those entrants."""
    where = _within(ENR.c.entered_at, start, end)
    if journey_id is not None:
        where.append(ENR.c.journey_id == journey_id)
    entrants = dict(conn.execute(select(ENR.c.held_out, func.count()).where(*where).group_by(ENR.c.held_out)).all())
    same = CONV.c.currency == currency
    joined = CONV.join(
        ENR,
        and_(
            ENR.c.journey_id == CONV.c.journey_id,
            ENR.c.contact_id == CONV.c.contact_id,
            ENR.c.entry_no == CONV.c.entry_no,
        ),
    )
    query = (
        select(
            ENR.c.held_out,
            func.count(),
            func.sum(case((same, CONV.c.revenue), else_=0.0)),
            func.sum(case((same, CONV.c.revenue * CONV.c.revenue), else_=0.0)),
        )
        .select_from(joined)
        .where(*where)
        .group_by(ENR.c.held_out)
    )
    converted = {row[0]: row[1:] for row in conn.execute(query)}
    out = {}
    for group, count in entrants.items():
        n, total, squares = converted.get(group, (0, 0.0, 0.0))
        out[group] = GroupCounts(int(count), int(n), float(total or 0), float(squares or 0))
    return out


def messaged_contacts(conn: Connection, journey_id: int) -> set[int]:
    """Contacts a journey queued at least one message for (from the outbox)."""
    out = OutboxMessage.__table__
    return set(conn.execute(select(out.c.contact_id).where(out.c.journey_id == journey_id).distinct()).scalars())
