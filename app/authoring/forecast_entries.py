"""Who could enter a journey in the forecast week, by entry type, and what the forecast replays for them.

Event and segment entries: contacts who sent the entry event (``segment.entered`` for a segment) in the last
four weeks; their events are replayed. API entries: contacts the journey enrolled in the last four weeks; their
entry times are replayed. Schedule and date entries: their occurrences in the forecast week, known in advance.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from sqlalchemy import Connection

from app.engine.entries import SCAN_CHUNK, cron_trigger, date_moments
from journeys.forecast import ENTRY, Item
from journeys.localtime import zone
from journeys.plan import Plan
from storage import entry_queries
from storage import forecast as store
from storage.segments import SEGMENT_ENTERED


@dataclass
class Candidates:
    source: str  # event | segment | api | schedule | date
    ids: list[int]
    history: dict[int, list[Item]] = field(default_factory=dict)  # replayed entries (API)
    upcoming: dict[int, list[Item]] = field(default_factory=dict)  # known entries (schedule, date)
    occurrences: int = 0  # schedule runs in the week


def candidates(
    conn: Connection, plan: Plan, *, now: datetime, end: datetime, since: datetime, default_tz: str
) -> Candidates:
    kind, config = plan.entry_type, plan.entry_config
    if kind in ("entry.event", "entry.segment"):
        name = config.event if kind == "entry.event" else SEGMENT_ENTERED
        ids = store.event_senders(conn, names=[name], since=since, until=now)
        return Candidates(kind.removeprefix("entry."), ids)
    if kind == "entry.api":
        entered = store.journey_entrants(
            conn, journey_id=plan.journey_id, since=int(since.timestamp()), until=int(now.timestamp())
        )
        history = {cid: [(at, ENTRY, {}) for at in times] for cid, times in entered.items()}
        return Candidates("api", sorted(entered), history=history)
    if kind == "entry.schedule":
        return _schedule(conn, config, now, end)
    if kind == "entry.date":
        return _dates(conn, plan, now, end, plan.settings.default_time_zone or default_tz)
    return Candidates("none", [])


def schedule_fires(config: object, now: datetime, end: datetime) -> list[datetime]:
    """A schedule entry's runs in (now, end]."""
    if getattr(config, "mode", "") == "once":
        at = config.at if config.at.tzinfo else config.at.replace(tzinfo=zone(config.time_zone))  # type: ignore[attr-defined]
        return [at] if now < at <= end else []
    trigger = cron_trigger(config.cron, config.time_zone)  # type: ignore[attr-defined]
    fires, fire = [], trigger.get_next_fire_time(None, now + timedelta(seconds=1))
    while fire is not None and fire <= end:
        fires.append(fire)
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return fires


def _schedule(conn: Connection, config: object, now: datetime, end: datetime) -> Candidates:
    fires = schedule_fires(config, now, end)
    if not fires:
        return Candidates("schedule", [])
    ids: list[int] = []
    while True:
        chunk = entry_queries.audience_chunk(
            conn, segment=getattr(config, "segment", None), after=ids[-1] if ids else 0, limit=SCAN_CHUNK, now=now
        )
        if not chunk:
            break
        ids.extend(chunk)
    items = [(int(f.timestamp()), ENTRY, {"scheduled_at": f.isoformat()}) for f in fires]
    return Candidates("schedule", ids, upcoming=dict.fromkeys(ids, items), occurrences=len(fires))


def _dates(conn: Connection, plan: Plan, now: datetime, end: datetime, default_tz: str) -> Candidates:
    config = plan.entry_config
    upcoming: dict[int, list[Item]] = {}
    after = 0
    while True:
        rows = entry_queries.date_attribute_chunk(conn, attribute=config.attribute, after=after, limit=SCAN_CHUNK)
        if not rows:
            break
        for contact_id, value, tz_name in rows:
            moments = date_moments(value, config, zone(tz_name, default_tz), _mid(now, end))
            found = [(int(m.timestamp()), ENTRY, {config.attribute: value}) for m in moments if now < m <= end]
            if found:
                upcoming[contact_id] = found
        after = rows[-1][0]
    return Candidates("date", sorted(upcoming), upcoming=upcoming)


def _mid(now: datetime, end: datetime) -> date:
    return (now + (end - now) / 2).astimezone(UTC).date()
