"""Reads for funnels and dashboards. They read only the metric buckets (and enrollment status for
"in progress"), never the step log, so their cost depends on the number of buckets, not of events."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, func, select

from journeys.metrics import DAY, HOUR
from storage.engine_models import Enrollment
from storage.funnel_log import BUCKET, JOURNEY_DAY, LOG
from storage.funnel_models import Conversion
from storage.models import Journey, JourneyVersion

ENR = Enrollment.__table__
CONV = Conversion.__table__
JRN = Journey.__table__
VER = JourneyVersion.__table__


@dataclass(frozen=True)
class Cell:
    """One counter summed over a period: node, variant, channel, metric and reason."""

    version_id: int
    node_id: str
    variant: str
    channel: str
    metric: str
    reason: str
    count: int


def _range(query: Any, grain: int, start: int | None, end: int | None) -> Any:
    query = query.where(BUCKET.c.grain == grain)
    if start is not None:
        query = query.where(BUCKET.c.period >= start - start % grain)
    if end is not None:
        query = query.where(BUCKET.c.period < end)
    return query


def journey_cells(conn: Connection, journey_id: int, *, start: int | None = None, end: int | None = None) -> list[Cell]:
    """Every counter of one journey in [start, end), by version, node, variant, channel, metric, reason.

    Whole days when the range is long, so the scan stays small; hours only when the range is under two days.
    """
    grain = HOUR if start is not None and end is not None and end - start < 2 * DAY else DAY
    cols = (BUCKET.c.version_id, BUCKET.c.node_id, BUCKET.c.variant, BUCKET.c.channel, BUCKET.c.metric, BUCKET.c.reason)
    query = select(*cols, func.sum(BUCKET.c.count)).where(BUCKET.c.journey_id == journey_id).group_by(*cols)
    return [Cell(*row) for row in conn.execute(_range(query, grain, start, end))]


def series(
    conn: Connection,
    *,
    grain: int,
    metrics: Iterable[str],
    journey_id: int | None = None,
    journey_ids: list[int] | None = None,
    start: int | None = None,
    end: int | None = None,
) -> dict[tuple[int, str], dict[int, int]]:
    """(journey, metric) -> {period start: count} for the given metrics."""
    query = select(BUCKET.c.journey_id, BUCKET.c.metric, BUCKET.c.period, func.sum(BUCKET.c.count)).where(
        BUCKET.c.metric.in_(list(metrics))
    )
    if journey_id is not None:
        query = query.where(BUCKET.c.journey_id == journey_id)
    if journey_ids is not None:  # lets the primary key (journey, grain, period, ...) seek each journey's range
        query = query.where(BUCKET.c.journey_id.in_(journey_ids))
    query = _range(query, grain, start, end).group_by(BUCKET.c.journey_id, BUCKET.c.metric, BUCKET.c.period)
    out: dict[tuple[int, str], dict[int, int]] = {}
    for journey, metric, period, count in conn.execute(query):
        out.setdefault((journey, metric), {})[period] = int(count)
    return out


def journey_totals(
    conn: Connection,
    *,
    journey_ids: list[int] | None = None,
    start: int | None = None,
    end: int | None = None,
    grain: int = DAY,
) -> dict[int, dict[str, int]]:
    """journey -> metric -> count over the range, for the given journeys (or every journey with activity)."""
    query = select(BUCKET.c.journey_id, BUCKET.c.metric, func.sum(BUCKET.c.count))
    if journey_ids is not None:  # seeks each journey's range through the primary key
        query = query.where(BUCKET.c.journey_id.in_(journey_ids))
    query = _range(query, grain, start, end).group_by(BUCKET.c.journey_id, BUCKET.c.metric)
    out: dict[int, dict[str, int]] = {}
    for journey, metric, count in conn.execute(query):
        out.setdefault(journey, {})[metric] = int(count)
    return out


def daily_totals(conn: Connection, *, journey_ids: list[int], start: int, end: int) -> dict[int, dict[str, int]]:
    """journey -> metric -> count over the whole UTC days in [start, end), from the per-journey daily totals."""
    day = JOURNEY_DAY
    query = (
        select(day.c.journey_id, day.c.metric, func.sum(day.c.count))
        .where(day.c.journey_id.in_(journey_ids), day.c.period >= start - start % DAY, day.c.period < end)
        .group_by(day.c.journey_id, day.c.metric)
    )
    out: dict[int, dict[str, int]] = {}
    for journey, metric, count in conn.execute(query):
        out.setdefault(journey, {})[metric] = int(count)
    return out


def daily_series(
    conn: Connection, *, metric: str, journey_ids: list[int], start: int, end: int
) -> dict[int, dict[int, int]]:
    """journey -> {UTC day: count} of one metric, from the per-journey daily totals."""
    day = JOURNEY_DAY
    query = select(day.c.journey_id, day.c.period, day.c.count).where(
        day.c.journey_id.in_(journey_ids),
        day.c.metric == metric,
        day.c.period >= start - start % DAY,
        day.c.period < end,
    )
    out: dict[int, dict[int, int]] = {}
    for journey, period, count in conn.execute(query):
        out.setdefault(journey, {})[period] = int(count)
    return out


def in_progress(conn: Connection, journey_ids: list[int] | None = None) -> dict[int, int]:
    query = select(ENR.c.journey_id, func.count()).where(ENR.c.status == "active").group_by(ENR.c.journey_id)
    if journey_ids is not None:  # an index-only count on (status, journey_id): no row is read
        query = query.where(ENR.c.journey_id.in_(journey_ids))
    return {journey: int(n) for journey, n in conn.execute(query)}


def in_progress_by_node(conn: Connection, journey_id: int) -> dict[str, int]:
    query = (
        select(ENR.c.node_id, func.count())
        .where(ENR.c.journey_id == journey_id, ENR.c.status == "active")
        .group_by(ENR.c.node_id)
    )
    return {node: int(n) for node, n in conn.execute(query)}


def live_journeys(conn: Connection) -> list[tuple[int, str, int | None]]:
    """(id, name, live version) of live journeys, by name."""
    query = select(JRN.c.id, JRN.c.name, JRN.c.live_version_id).where(JRN.c.status == "live").order_by(JRN.c.name)
    return [tuple(row) for row in conn.execute(query)]


def version_goals(conn: Connection, version_ids: list[int]) -> dict[int, bool]:
    """version -> whether its document sets a goal (versions never change, so callers may keep the answer)."""
    if not version_ids:
        return {}
    query = select(VER.c.id, VER.c.document).where(VER.c.id.in_(version_ids))
    return {version: bool((document or {}).get("goal")) for version, document in conn.execute(query)}


def recount(conn: Connection, journey_id: int | None = None) -> dict[tuple[Any, ...], int]:
    """Counts recomputed from the raw step log, keyed like daily buckets (an audit, not for dashboards)."""
    day = LOG.c.at - LOG.c.at % DAY
    cols = (LOG.c.journey_id, day, LOG.c.version_id, LOG.c.node_id, LOG.c.variant, LOG.c.channel)
    cols += (LOG.c.metric, LOG.c.reason)
    query = select(*cols, func.count()).group_by(*cols)
    if journey_id is not None:
        query = query.where(LOG.c.journey_id == journey_id)
    return {tuple(row[:-1]): int(row[-1]) for row in conn.execute(query)}


def bucket_counts(conn: Connection, grain: int, journey_id: int | None = None) -> dict[tuple[Any, ...], int]:
    cols = (BUCKET.c.journey_id, BUCKET.c.period, BUCKET.c.version_id, BUCKET.c.node_id, BUCKET.c.variant)
    cols += (BUCKET.c.channel, BUCKET.c.metric, BUCKET.c.reason)
    query = select(*cols, BUCKET.c.count).where(BUCKET.c.grain == grain)
    if journey_id is not None:
        query = query.where(BUCKET.c.journey_id == journey_id)
    return {tuple(row[:-1]): int(row[-1]) for row in conn.execute(query)}


def conversions_by_variant(conn: Connection, journey_id: int) -> dict[str, int]:
    query = select(CONV.c.variant, func.count()).where(CONV.c.journey_id == journey_id).group_by(CONV.c.variant)
    return {variant: int(n) for variant, n in conn.execute(query)}


def journey_document(conn: Connection, journey_id: int) -> tuple[str, dict[str, Any]]:
    """A journey's name and the document its analytics read: the live version, else the draft."""
    j, v = Journey.__table__, JourneyVersion.__table__
    row = conn.execute(select(j.c.name, j.c.live_version_id, j.c.draft).where(j.c.id == journey_id)).one_or_none()
    if row is None:
        raise LookupError(journey_id)
    doc = row.draft or {}
    if row.live_version_id is not None:
        doc = conn.execute(select(v.c.document).where(v.c.id == row.live_version_id)).scalar_one()
    return row.name, doc or {}
