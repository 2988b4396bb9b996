"""Per-journey counts shown in the journeys list.

One function reads them so the engine's enrollment tables plug in here without touching any page: until
they exist every journey reports zero.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlmodel import Session


@dataclass(frozen=True)
class JourneyCounts:
    entered: int = 0
    in_progress: int = 0


def journey_counts(session: Session, *, journey_ids: Iterable[int]) -> dict[int, JourneyCounts]:
    """Contacts who ever entered each journey and those still in it, for every id asked (zeros if unknown)."""
    from sqlalchemy import case, func, select

    from storage.engine_models import Enrollment

    ids = sorted(set(journey_ids))
    out = {journey_id: JourneyCounts() for journey_id in ids}
    if not ids:
        return out
    table = Enrollment.__table__
    active = func.sum(case((table.c.status == "active", 1), else_=0))
    query = select(table.c.journey_id, func.count(), active).where(table.c.journey_id.in_(ids))
    for journey_id, entered, running in session.execute(query.group_by(table.c.journey_id)):
        out[journey_id] = JourneyCounts(entered=int(entered), in_progress=int(running or 0))
    return out
