"""Writes of the step log and its metric buckets, always together and inside the caller's transaction.

Every writer here appends step-log rows and bumps the hourly and daily buckets with one aggregated upsert,
so the counters equal a recount of the log by construction. Batched Core executemany, no ORM objects.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from journeys.metrics import DAY, GRAINS, channel_of, period_start, step_metric
from storage import raw
from storage.funnel_models import JourneyDayCount, MetricBucket, StepLog

LOG = StepLog.__table__
BUCKET = MetricBucket.__table__
JOURNEY_DAY = JourneyDayCount.__table__
BUCKET_KEY = ("journey_id", "grain", "period", "version_id", "node_id", "variant", "channel", "metric", "reason")

LOG_COLUMNS = (
    "journey_id",
    "version_id",
    "contact_id",
    "entry_no",
    "node_id",
    "variant",
    "channel",
    "metric",
    "reason",
    "at",
)
LOG_SQL = (
    "INSERT INTO step_log (journey_id, version_id, contact_id, entry_no, node_id, variant, channel, metric, reason, at)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
# (journey, version, contact, entry_no, node, variant, outcome, reason) as the engine's Result records it
StepRow = tuple[int, int, int, int, str, str, str, str]


@dataclass(frozen=True)
class Entry:
    """One step-log row before it is written."""

    journey_id: int
    version_id: int
    contact_id: int
    entry_no: int
    node_id: str
    variant: str
    channel: str
    metric: str
    reason: str
    at: int

    def as_tuple(self) -> tuple[Any, ...]:
        return (
            self.journey_id,
            self.version_id,
            self.contact_id,
            self.entry_no,
            self.node_id,
            self.variant,
            self.channel,
            self.metric,
            self.reason,
            self.at,
        )


def write(conn: Connection, entries: Sequence[Entry]) -> None:
    """Append log rows and bump both bucket grains, in the caller's transaction."""
    write_rows(conn, [e.as_tuple() for e in entries])


def write_rows(conn: Connection, rows: list[tuple[Any, ...]]) -> None:
    """Like ``write`` for rows already in ``LOG_SQL`` column order (the engine's hot path)."""
    if not rows:
        return
    raw.execute_many(conn, LOG_SQL, rows)  # plain executemany (COPY on PostgreSQL): several times faster than Core
    # rows of one batch share a handful of (row minus contact and entry) keys: count those, then fan out
    # each distinct key to its periods, instead of computing periods per row
    keys = Counter(
        (j, v, node, variant, channel, metric, reason, at)
        for j, v, _c, _n, node, variant, channel, metric, reason, at in rows
    )
    tally: Counter[tuple[Any, ...]] = Counter()
    for (journey_id, version_id, node_id, variant, channel, metric, reason, at), n in keys.items():
        for grain in GRAINS:
            tally[
                (journey_id, grain, period_start(at, grain), version_id, node_id, variant, channel, metric, reason)
            ] += n
    bump_buckets(conn, tally)


def bump_buckets(conn: Connection, tally: dict[tuple[Any, ...], int]) -> None:
    """Add to the hourly and daily buckets and, from the daily ones, to the per-journey daily totals."""
    if not tally:
        return
    rows = [{**dict(zip(BUCKET_KEY, key, strict=True)), "count": n} for key, n in tally.items()]
    _upsert_counts(conn, BUCKET, BUCKET_KEY, rows)
    days: Counter[tuple[int, int, str]] = Counter()
    for key, n in tally.items():
        journey_id, grain, period, metric = key[0], key[1], key[2], key[7]
        if grain == DAY:
            days[(journey_id, period, metric)] += n
    day_key = ("journey_id", "period", "metric")
    _upsert_counts(
        conn, JOURNEY_DAY, day_key, [{**dict(zip(day_key, k, strict=True)), "count": n} for k, n in days.items()]
    )


def _upsert_counts(conn: Connection, table: Any, key: Sequence[str], rows: list[dict[str, Any]]) -> None:
    if not rows:
        return
    maker = pg_insert if conn.dialect.name == "postgresql" else sqlite_insert
    statement = maker(table)
    statement = statement.on_conflict_do_update(
        index_elements=list(key), set_={"count": table.c.count + statement.excluded.count}
    )
    conn.execute(statement, rows)


def record_steps(
    conn: Connection, steps: Iterable[StepRow], now: int, node_types: Callable[[int], dict[str, str]]
) -> None:
    """Log the engine's steps of one batch; ``node_types(version_id)`` maps node ids to node types."""
    described: dict[tuple[int, str, str, str], tuple[str, str, str]] = {}
    rows = []
    for journey_id, version_id, contact_id, entry_no, node_id, variant, outcome, reason in steps:
        key = (version_id, node_id, outcome, reason)
        found = described.get(key)
        if found is None:
            node_type = node_types(version_id).get(node_id, "")
            found = described[key] = (channel_of(node_type), *step_metric(outcome, reason, node_type))
        channel, metric, why = found
        rows.append((journey_id, version_id, contact_id, entry_no, node_id, variant, channel, metric, why, now))
    write_rows(conn, rows)


def parse_message_id(message_id: str) -> tuple[int, int, int, str] | None:
    """(journey, contact, entry_no, node) from a deterministic message id ``j-c-n-node``."""
    parts = message_id.split("-", 3)
    if len(parts) != 4 or not all(p.isdigit() for p in parts[:3]):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2]), parts[3]


def message_entry(row: Any, metric: str, reason: str, at: int) -> Entry | None:
    """A log entry about an outbox row (delivery outcome or engagement)."""
    parsed = parse_message_id(row.message_id)
    if parsed is None:
        return None
    _journey, _contact, entry_no, _node = parsed
    return Entry(
        row.journey_id,
        row.version_id,
        row.contact_id,
        entry_no,
        row.node_id,
        row.variant,
        row.channel,
        metric,
        reason[:60],
        at,
    )


# Providers that confirm delivery later through a callback; for the others a send is a delivery.
CONFIRMS_DELIVERY = {"onesignal", "simulated"}  # they report deliveries themselves (the demo's simulator too)


def record_dispatch(conn: Connection, rows: dict[int, Any], updates: list[tuple[Any, ...]], now: int) -> None:
    """Log sends and final failures of one dispatcher round.

    ``updates`` are the dispatcher's outbox updates: (status, provider, attempts, next attempt, last error,
    provider ref, sent at, outbox id).
    """
    entries: list[Entry | None] = []
    for status, provider, _attempts, _next, error, _ref, _sent, row_id in updates:
        row = rows[row_id]
        if status in {"sent", "sandbox"}:
            entries.append(message_entry(row, "sent", "", now))
            if provider not in CONFIRMS_DELIVERY:
                entries.append(message_entry(row, "delivered", "", now))
        elif status == "failed":
            entries.append(message_entry(row, "failed", (error or "").split(":")[0], now))
    write(conn, [e for e in entries if e is not None])
