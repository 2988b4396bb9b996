"""Keeping best-time profiles up to date, and the side panel's preview of a best-time send.

:func:`refresh` reads the app sessions (``Application Opened`` events) and message opens recorded since its last
run (two durable cursors), counts them by each contact's local hour of the week and adds them to the contacts'
profiles and to the workspace's, in one transaction per chunk. The runtime runs it every few minutes
(app/core/runtime.py), so ingestion itself pays nothing for the feature. The engine reads the stored profiles
when a journey sends at the best time (journeys/send_time.py decides).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from app.core.context import AppContext
from app.delivery.workspace import load_policy
from journeys import send_time
from journeys.localtime import zone
from storage import enrollments as cursors
from storage import send_time as store

EVENTS_CURSOR = "send_time.sessions"
OPENS_CURSOR = "send_time.opens"
CHUNK = 20_000
PREVIEW_CONTACTS = 20_000  # the preview counts this many contacts, scaled up to the workspace's size


@dataclass(frozen=True)
class Refreshed:
    engagements: int
    contacts: int  # distinct contacts whose profile changed


@dataclass(frozen=True)
class _Chunk:
    engagements: int
    contact_ids: frozenset[int]


def _apply(ctx: AppContext, default_zone: str) -> _Chunk:
    """One chunk of each source, added to the profiles; nothing when both are caught up."""
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.begin() as conn:
        event_at = cursors.get_cursor(conn, EVENTS_CURSOR) or 0
        open_at = cursors.get_cursor(conn, OPENS_CURSOR) or 0
        sessions = store.sessions_after(conn, event_at, CHUNK)
        opens = store.opens_after(conn, open_at, CHUNK)
        if not sessions and not opens:
            return _Chunk(0, frozenset())
        hours: dict[int, list[int]] = defaultdict(list)
        for _row, contact_id, at, tz in sessions + opens:
            hours[contact_id].append(send_time.hour_of_week(at, zone(tz, default_zone)))
        before = store.profiles(conn, hours)
        changed = {cid: before.get(cid, send_time.EMPTY).add(found) for cid, found in hours.items()}
        store.save_profiles(conn, changed, set(before), now)
        added = send_time.EMPTY.add(h for found in hours.values() for h in found)
        store.save_workspace(conn, store.workspace(conn).plus(added), now)
        if sessions:
            cursors.set_cursor(conn, EVENTS_CURSOR, sessions[-1][0])
        if opens:
            cursors.set_cursor(conn, OPENS_CURSOR, opens[-1][0])
    return _Chunk(len(sessions) + len(opens), frozenset(changed))


def refresh(ctx: AppContext, *, max_chunks: int = 100) -> Refreshed:
    """Add every engagement recorded since the last refresh (at most ``max_chunks`` chunks per run)."""
    default_zone = load_policy(ctx).default_time_zone
    engagements, contacts = 0, set()
    for _ in range(max_chunks):
        done = _apply(ctx, default_zone)
        if not done.engagements:
            break
        engagements += done.engagements
        contacts |= done.contact_ids
    return Refreshed(engagements, len(contacts))


def preview(ctx: AppContext, *, within_hours: int, fallback: str) -> send_time.Preview:
    """When the workspace's contacts would get a best-time message sent now (scaled up from a sample of
    ``PREVIEW_CONTACTS`` contacts in a larger workspace)."""
    default_zone = load_policy(ctx).default_time_zone
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.connect() as conn:
        sample = store.audience(conn, PREVIEW_CONTACTS)
        workspace = store.workspace(conn)
        total = store.contact_count(conn) if len(sample) == PREVIEW_CONTACTS else len(sample)
    audience = [(zone(tz, default_zone), profile) for tz, profile in sample]
    found = send_time.preview(now, within_hours=within_hours, fallback=fallback, audience=audience, workspace=workspace)
    if total == len(sample) or not sample:
        return found
    scale = total / len(sample)
    return send_time.Preview(
        found.starts,
        [round(n * scale) for n in found.per_hour],
        round(found.enough * scale),
        round(found.little * scale),
        round(found.none * scale),
    )
