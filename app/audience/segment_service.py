"""Segment use cases for the app: periodic re-evaluation and refresh after ingestion."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlmodel import Session

from app.core import wakeup
from app.core.context import AppContext
from storage import segments as store
from storage.segment_members import Refresh, refresh_memberships


def refresh_contacts(
    session: Session,
    *,
    contact_ids: Iterable[int],
    ctx: AppContext,
    changed: Iterable[str] | None = None,
    created: Iterable[int] = (),
) -> Refresh:
    """Inside an ingestion transaction: segment entries caused by these contacts' new data.

    ``changed`` names what the batch changed (None: anything); ``created`` are contacts it created.
    """
    return refresh_memberships(session, now=ctx.clock.now(), contact_ids=contact_ids, changed=changed, created=created)


def reevaluate_segments(ctx: AppContext, *, everything: bool = False) -> Refresh:
    """The periodic job: re-check time-based segments (or all with ``everything``) for every contact.

    Newly matching contacts get a ``segment.entered`` event; the engine is woken after the commit.
    """
    with ctx.db.session() as session:
        result = refresh_memberships(session, now=ctx.clock.now(), time_based_only=not everything)
    if result.entered:
        wakeup.events_arrived()
    return result


def save_segment(ctx: AppContext, *, name: str, condition: Any, original: str | None = None) -> None:
    """Create (or, with ``original``, redefine) a segment and take its first membership pass at once.

    The first pass records who matches now without ``segment.entered`` events, in the same transaction,
    so ingestion requests never have to scan every contact for a segment that was just saved.
    """
    now = ctx.clock.now()
    with ctx.db.session() as session:
        if original:
            row = store.update_segment(session, name=original, condition=condition, now=now)
        else:
            row = store.create_segment(session, name=name, condition=condition, now=now)
        refresh_memberships(session, now=now, names={row.name})
