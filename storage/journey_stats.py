"""Per-journey counts shown in the journeys list: entries from the daily metric buckets, and enrollments
still active. Two grouped SELECTs, whatever the number of journeys."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlmodel import Session

from journeys.metrics import DAY
from storage.engine_models import Enrollment
from storage.funnel_models import MetricBucket


@dataclass(frozen=True)
class JourneyCounts:
    entered: int = 0
    in_progress: int = 0


def journey_counts(session: Session, *, journey_ids: Iterable[int]) -> dict[int, JourneyCounts]:
    """Contacts who ever entered each journey and those still in it, for every id asked (zeros if unknown)."""
    ids = list(journey_ids)
    if not ids:
        return {}
    bucket, enr = MetricBucket.__table__, Enrollment.__table__
    entered_q = (
        select(bucket.c.journey_id, func.sum(bucket.c.count))
        .where(bucket.c.journey_id.in_(ids), bucket.c.grain == DAY, bucket.c.metric == "enrolled")
        .group_by(bucket.c.journey_id)
    )
    active_q = (
        select(enr.c.journey_id, func.count())
        .where(enr.c.journey_id.in_(ids), enr.c.status == "active")
        .group_by(enr.c.journey_id)
    )
    entered = {j: int(n) for j, n in session.connection().execute(entered_q)}
    active = {j: int(n) for j, n in session.connection().execute(active_q)}
    return {j: JourneyCounts(entered.get(j, 0), active.get(j, 0)) for j in ids}
