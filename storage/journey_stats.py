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
    _ = session  # the engine's enrollment table is queried here once it lands (one grouped SELECT)
    return {journey_id: JourneyCounts() for journey_id in journey_ids}
