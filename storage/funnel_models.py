"""Funnel tables: the row-level step log, hourly and daily metric buckets, conversions and experiment routes.

The step log keeps one row per thing that happened to an enrollment (entered a node, messaged, delivered,
opened, converted...). Buckets are the incremental counters dashboards read, written in the same transaction
as the step log rows they summarise, so a recount of the log always equals them.
"""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class StepLog(SQLModel, table=True):
    __tablename__ = "step_log"
    __table_args__ = (Index("ix_step_log_enrollment", "journey_id", "contact_id", "entry_no"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int
    version_id: int
    contact_id: int
    entry_no: int
    node_id: str = Field(max_length=80)
    variant: str = Field(default="", max_length=40)
    channel: str = Field(default="", max_length=16)
    metric: str = Field(max_length=20)
    reason: str = Field(default="", max_length=60)
    at: int = 0


class MetricBucket(SQLModel, table=True):
    """Counts per journey, version, node, variant, channel, metric and reason, for one hour or one day."""

    __tablename__ = "metric_bucket"
    __table_args__ = (Index("ix_metric_bucket_period", "grain", "period"),)

    journey_id: int = Field(primary_key=True)
    grain: int = Field(primary_key=True)  # 3600 (hour) or 86400 (day)
    period: int = Field(primary_key=True)  # epoch seconds of the bucket start, UTC
    version_id: int = Field(primary_key=True)
    node_id: str = Field(primary_key=True, max_length=80)
    variant: str = Field(primary_key=True, default="", max_length=40)
    channel: str = Field(primary_key=True, default="", max_length=16)
    metric: str = Field(primary_key=True, max_length=20)
    reason: str = Field(primary_key=True, default="", max_length=60)
    count: int = 0


class JourneyDayCount(SQLModel, table=True):
    """Counts per journey, UTC day and metric: the daily buckets summed over every other dimension.

    Bumped with the buckets in the same transaction; the dashboard reads these few rows (journeys × days ×
    metrics) instead of summing thousands of bucket rows on every refresh.
    """

    __tablename__ = "journey_day_count"
    __table_args__ = {"sqlite_with_rowid": False}  # the primary key holds the count: one B-tree, no lookups

    journey_id: int = Field(primary_key=True)
    period: int = Field(primary_key=True)  # epoch seconds of the UTC day
    metric: str = Field(primary_key=True, max_length=20)
    count: int = 0


class Conversion(SQLModel, table=True):
    """A goal reached by one enrollment, attributed to its version, variant and the last message touched."""

    __tablename__ = "conversion"
    __table_args__ = (
        UniqueConstraint("journey_id", "contact_id", "entry_no", name="uq_conversion_enrollment"),
        Index("ix_conversion_at", "at"),  # revenue attributed in a period (dashboard)
    )

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int
    version_id: int
    contact_id: int
    entry_no: int
    variant: str = Field(default="", max_length=40)
    node_id: str = Field(default="", max_length=80)
    message_id: str | None = Field(default=None, max_length=200)
    at: int = 0
    # The goal event's revenue in ``currency``: the workspace currency, or the event's when no rate was known.
    revenue: float | None = None
    currency: str = Field(default="", max_length=3)
    held_out: str = Field(default="", max_length=16)  # copied from the enrollment


class ExperimentRoute(SQLModel, table=True):
    """A winner declared on a split node; while ``active`` new entrants go to ``winner``."""

    __tablename__ = "experiment_route"
    __table_args__ = (Index("ix_experiment_route_journey", "journey_id", "node_id"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int
    version_id: int
    node_id: str = Field(max_length=80)
    winner: str = Field(max_length=40)
    active: bool = True
    decided_at: int = 0
    reverted_at: int | None = None
    summary: str = Field(default="", max_length=500)
