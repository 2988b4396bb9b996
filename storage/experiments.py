"""Experiment reads and writes: variant exposures and successes from the buckets, and winner routes."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from journeys.metrics import DAY
from storage.funnel_log import BUCKET
from storage.funnel_models import ExperimentRoute

ROUTE = ExperimentRoute.__table__


def arms_data(conn: Connection, journey_id: int, node_id: str, success_metric: str) -> tuple[dict, dict, int | None]:
    """(exposures by variant, successes by variant, start of the first day a contact was assigned)."""
    day = BUCKET.c.grain == DAY
    assigned = select(BUCKET.c.reason, func.sum(BUCKET.c.count), func.min(BUCKET.c.period)).where(
        day, BUCKET.c.journey_id == journey_id, BUCKET.c.node_id == node_id, BUCKET.c.metric == "assigned"
    )
    exposures, first = {}, None
    for variant, count, period in conn.execute(assigned.group_by(BUCKET.c.reason)):
        exposures[variant] = int(count)
        first = period if first is None else min(first, period)
    won = select(BUCKET.c.variant, func.sum(BUCKET.c.count)).where(
        day, BUCKET.c.journey_id == journey_id, BUCKET.c.metric == success_metric
    )
    successes = {variant: int(n) for variant, n in conn.execute(won.group_by(BUCKET.c.variant))}
    return exposures, successes, first


def first_assignment(conn: Connection, journey_id: int, node_id: str) -> int | None:
    """Hour-precise time of the first assignment (the experiment's start)."""
    query = select(func.min(BUCKET.c.period)).where(
        BUCKET.c.grain == 3600,
        BUCKET.c.journey_id == journey_id,
        BUCKET.c.node_id == node_id,
        BUCKET.c.metric == "assigned",
    )
    return conn.execute(query).scalar()


def routes(conn: Connection, journey_id: int | None = None) -> list[Any]:
    query = select(ROUTE).order_by(ROUTE.c.id)
    if journey_id is not None:
        query = query.where(ROUTE.c.journey_id == journey_id)
    return list(conn.execute(query))


def active_routes(conn: Connection) -> dict[tuple[int, str], str]:
    query = select(ROUTE.c.journey_id, ROUTE.c.node_id, ROUTE.c.winner).where(ROUTE.c.active.is_(True))
    return {(j, n): w for j, n, w in conn.execute(query)}


def add_route(
    conn: Connection, *, journey_id: int, version_id: int, node_id: str, winner: str, now: int, summary: str
) -> None:
    values = {"journey_id": journey_id, "version_id": version_id, "node_id": node_id, "winner": winner}
    conn.execute(insert(ROUTE).values(**values, active=True, decided_at=now, summary=summary[:500]))


def revert_route(conn: Connection, route_id: int, now: int) -> bool:
    statement = update(ROUTE).where(ROUTE.c.id == route_id, ROUTE.c.active.is_(True))
    return conn.execute(statement.values(active=False, reverted_at=now)).rowcount == 1


def arms_before(conn: Connection, journey_id: int, node_id: str, before: int) -> tuple[dict, dict]:
    """(entrants by variant, goal conversions by variant) counted in the hours before ``before``."""
    hour = BUCKET.c.grain == 3600
    earlier = BUCKET.c.period < before
    assigned = select(BUCKET.c.reason, func.sum(BUCKET.c.count)).where(
        hour, earlier, BUCKET.c.journey_id == journey_id, BUCKET.c.node_id == node_id, BUCKET.c.metric == "assigned"
    )
    exposures = {variant: int(n) for variant, n in conn.execute(assigned.group_by(BUCKET.c.reason))}
    won = select(BUCKET.c.variant, func.sum(BUCKET.c.count)).where(
        hour, earlier, BUCKET.c.journey_id == journey_id, BUCKET.c.metric == "converted"
    )
    successes = {variant: int(n) for variant, n in conn.execute(won.group_by(BUCKET.c.variant))}
    return exposures, successes


def entrants_by_period(conn: Connection, journey_id: int, node_id: str, grain: int) -> list[tuple[int, str, int]]:
    """(period start, variant, contacts assigned) of one split node, oldest first."""
    query = (
        select(BUCKET.c.period, BUCKET.c.reason, func.sum(BUCKET.c.count))
        .where(
            BUCKET.c.grain == grain,
            BUCKET.c.journey_id == journey_id,
            BUCKET.c.node_id == node_id,
            BUCKET.c.metric == "assigned",
        )
        .group_by(BUCKET.c.period, BUCKET.c.reason)
        .order_by(BUCKET.c.period)
    )
    return [(int(p), str(v), int(n)) for p, v, n in conn.execute(query)]
