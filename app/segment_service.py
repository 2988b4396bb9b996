"""Segment use cases for the app: periodic re-evaluation and refresh after ingestion."""

from __future__ import annotations

from collections.abc import Iterable

from sqlmodel import Session

from app import wakeup
from app.context import AppContext
from storage.segment_members import Refresh, refresh_memberships


def refresh_contacts(session: Session, *, contact_ids: Iterable[int], ctx: AppContext) -> Refresh:
    """Inside an ingestion transaction: segment entries caused by these contacts' new data."""
    return refresh_memberships(session, now=ctx.clock.now(), contact_ids=contact_ids)


def reevaluate_segments(ctx: AppContext, *, everything: bool = False) -> Refresh:
    """The periodic job: re-check time-based segments (or all with ``everything``) for every contact.

    Newly matching contacts get a ``segment.entered`` event; the engine is woken after the commit.
    """
    with ctx.db.session() as session:
        result = refresh_memberships(session, now=ctx.clock.now(), time_based_only=not everything)
    if result.entered:
        wakeup.events_arrived()
    return result
