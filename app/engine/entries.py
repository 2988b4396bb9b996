"""Scheduled entries (one-off or cron, a segment or everyone) and date-attribute entries.

Progress is kept in durable cursors, one chunk per transaction, so a crash resumes where it stopped and
nobody is enrolled twice by the same run.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.combining import OrTrigger
from apscheduler.triggers.cron import CronTrigger

from app.delivery.workspace import load_policy
from app.engine.engine import Candidate, Engine
from journeys import cron as crontab
from journeys.localtime import local_moment, parse_hhmm, zone
from journeys.plan import Plan
from storage import enrollments as store
from storage import entry_queries

SCAN_CHUNK = 5_000


def run_scheduled_entries(engine: Engine) -> int:
    """Run schedule and date entries that are due; returns the number of contacts considered."""
    now = engine.ctx.clock.now()
    engine.policy = load_policy(engine.ctx)  # today's rules (quiet hours...), even before the engine's first pass
    with engine.ctx.db.engine.begin() as conn:
        plans, live = engine._running(conn)
    total = 0
    for plan in plans.values():
        if plan.journey_id not in live:
            continue
        if plan.entry_type == "entry.schedule":
            total += _schedule(engine, plan, now)
        elif plan.entry_type == "entry.date":
            total += _dates(engine, plan, now)
    return total


def cron_trigger(cron: str, time_zone: str) -> BaseTrigger:
    """A standard 5-field crontab (weekday 0 or 7 = Sunday) as an APScheduler trigger.

    APScheduler numbers weekdays from Monday = 0, so the weekday field is spelt out in names first. When both
    the day and the weekday are restricted, crontab fires on either (``0 9 1 * 1``: the 1st and every
    Monday) while one APScheduler trigger needs both, so that case is two triggers combined.
    """
    minute, hour, day, month, weekday = crontab.check(cron)
    tz = zone(time_zone)

    def trigger(day: str, weekday: str) -> CronTrigger:
        return CronTrigger(minute=minute, hour=hour, day=day, month=month, day_of_week=weekday, timezone=tz)

    if day != "*" and weekday != "*":
        return OrTrigger([trigger(day, "*"), trigger("*", crontab.weekday_names(weekday))])
    return trigger(day, crontab.weekday_names(weekday))


def due_fire(config: Any, last: datetime | None, now: datetime) -> datetime | None:
    """The latest fire time in (last, now], or None. A first look only catches the current minute."""
    if config.mode == "once":
        at = config.at if config.at.tzinfo else config.at.replace(tzinfo=zone(config.time_zone))
        return at if at <= now and (last is None or at > last) else None
    trigger = cron_trigger(config.cron, config.time_zone)
    since = last or now - timedelta(minutes=1)
    fire, found = trigger.get_next_fire_time(None, since + timedelta(seconds=1)), None
    while fire is not None and fire <= now:
        found = fire
        fire = trigger.get_next_fire_time(fire, fire + timedelta(seconds=1))
    return found


def _schedule(engine: Engine, plan: Plan, now: datetime) -> int:
    name = f"schedule:{plan.journey_id}:{plan.version_id}"
    with engine.ctx.db.engine.begin() as conn:
        last = store.get_cursor(conn, name)
        progress = store.get_cursor(conn, name + ":progress") or 0
    last_at = datetime.fromtimestamp(last, UTC) if last else None
    fire = due_fire(plan.entry_config, last_at, now)
    if fire is None and not progress:
        return 0
    total = 0
    while True:
        with engine.ctx.db.engine.begin() as conn:
            ids = entry_queries.audience_chunk(
                conn, segment=plan.entry_config.segment, after=progress, limit=SCAN_CHUNK, now=now
            )
            if not ids:
                store.set_cursor(conn, name, int((fire or now).timestamp()))
                store.set_cursor(conn, name + ":progress", 0)
                return total
            candidates = [Candidate(plan, cid, {"scheduled_at": (fire or now).isoformat()}) for cid in ids]
            engine.enter(conn, candidates, {plan.journey_id}, int(now.timestamp()))
            progress = ids[-1]
            store.set_cursor(conn, name + ":progress", progress)
            total += len(ids)


def date_moments(value: Any, config: Any, tz: Any, around: date) -> list[datetime]:
    """The entry instants for one contact's date value, for anniversaries near ``around`` when yearly."""
    try:
        day = date.fromisoformat(str(value)[:10])
    except ValueError:
        return []
    days = [day]
    if config.repeat == "yearly":
        days = []
        for year in (around.year - 1, around.year, around.year + 1):
            try:
                days.append(day.replace(year=year))
            except ValueError:  # 29 February in a common year
                days.append(date(year, 2, 28))
    at = parse_hhmm(config.time_of_day or "00:00")
    shift = config.offset.to_timedelta() * {"before": -1, "on": 0, "after": 1}[config.direction]
    return [local_moment(d, at, tz) + shift for d in days]


def _dates(engine: Engine, plan: Plan, now: datetime) -> int:
    name = f"date:{plan.journey_id}:{plan.version_id}"
    config = plan.entry_config
    with engine.ctx.db.engine.begin() as conn:
        last = store.get_cursor(conn, name)
    since = datetime.fromtimestamp(last, UTC) if last else now - timedelta(minutes=1)
    default_tz = plan.settings.default_time_zone or load_policy(engine.ctx).default_time_zone
    after, total = 0, 0
    while True:
        with engine.ctx.db.engine.begin() as conn:
            rows = entry_queries.date_attribute_chunk(conn, attribute=config.attribute, after=after, limit=SCAN_CHUNK)
            if not rows:
                store.set_cursor(conn, name, int(now.timestamp()))
                return total
            candidates = []
            for contact_id, value, tz_name in rows:
                tz = zone(tz_name, default_tz)
                if any(since < m <= now for m in date_moments(value, config, tz, now.date())):
                    candidates.append(Candidate(plan, contact_id, {config.attribute: value}))
            engine.enter(conn, candidates, {plan.journey_id}, int(now.timestamp()))
            after = rows[-1][0]
            total += len(candidates)
