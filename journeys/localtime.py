"""Local time in a contact's time zone: next HH:MM, quiet-hour windows. Correct across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


@lru_cache(maxsize=1024)
def zone(name: str | None, fallback: str = "UTC") -> ZoneInfo:
    for candidate in (name, fallback, "UTC"):
        if not candidate:
            continue
        try:
            return ZoneInfo(candidate)
        except (ZoneInfoNotFoundError, ValueError):
            continue
    return ZoneInfo("UTC")


@lru_cache(maxsize=1024)
def parse_hhmm(value: str) -> time:
    hour, _, minute = value.partition(":")
    return time(int(hour), int(minute))


def to_epoch(moment: datetime) -> int:
    return int(moment.timestamp())


def from_epoch(seconds: int) -> datetime:
    return datetime.fromtimestamp(seconds, UTC)


def local_moment(day: date, at: time, tz: ZoneInfo) -> datetime:
    """The UTC instant of a wall-clock time on a day. A time skipped by a DST jump maps to just after it."""
    naive = datetime.combine(day, at)
    aware = naive.replace(tzinfo=tz)
    back = aware.astimezone(UTC).astimezone(tz)
    if back.replace(tzinfo=None) != naive:  # inside the spring-forward gap
        aware = (naive + timedelta(hours=1)).replace(tzinfo=tz)
    return aware.astimezone(UTC)


def next_time_of_day(now: int, at: str, tz: ZoneInfo, weekdays: set[int] | None = None) -> int:
    """The first instant strictly after ``now`` when the local clock shows ``at`` (on an allowed weekday)."""
    local_now = from_epoch(now).astimezone(tz)
    wanted = parse_hhmm(at)
    for offset in range(0, 9):
        day = local_now.date() + timedelta(days=offset)
        if weekdays and day.weekday() not in weekdays:
            continue
        candidate = to_epoch(local_moment(day, wanted, tz))
        if candidate > now:
            return candidate
    raise AssertionError("a weekday within 8 days always exists")


@lru_cache(maxsize=4096)
def _local_minute(minute: int, tz: ZoneInfo) -> time:
    return from_epoch(minute * 60).astimezone(tz).time()


def in_window(now: int, start: str, end: str, tz: ZoneInfo) -> bool:
    """Whether local time is inside [start, end), a window that may cross midnight (21:00-08:00)."""
    local = _local_minute(now // 60, tz)
    begin, finish = parse_hhmm(start), parse_hhmm(end)
    if begin <= finish:
        return begin <= local < finish
    return local >= begin or local < finish


def window_end(now: int, end: str, tz: ZoneInfo) -> int:
    """The next allowed minute: the first instant after ``now`` when the local clock reaches ``end``."""
    return next_time_of_day(now, end, tz)
