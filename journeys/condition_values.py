"""How condition leaves read values: numbers, ASCII letter case, calendar days and distances.

Shared by the in-Python evaluator (journeys/conditions.py) and the SQL compiler (storage/segment_sql.py), so
both read a value the same way.
"""

from __future__ import annotations

import math
import re
from datetime import UTC, date, datetime, timedelta
from typing import Any

_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
_DAY = re.compile(r"^[0-9]{4}-[0-9]{2}-[0-9]{2}")


def ascii_lower(text: str) -> str:
    """Lower-case ASCII letters only, as SQLite's lower() does, so both evaluators agree."""
    return text.translate(_ASCII_LOWER)


def is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def day_text(value: Any) -> str | None:
    """The calendar day ``YYYY-MM-DD`` a value names (dates, datetimes in UTC, ISO strings), else None."""
    if isinstance(value, datetime):
        if value.tzinfo is not None:
            value = value.astimezone(UTC)
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str) and _DAY.match(value):
        return value[:10]
    return None


def bound_day(expected: Any) -> str | None:
    """The day a date operator's value names (``before``/``after``)."""
    return day_text(expected)


def day_count(expected: Any) -> int:
    """A number of days from a condition value (0 when it is not a number), capped at 100 years."""
    if is_number(expected) and math.isfinite(expected):
        return min(36_600, max(0, int(expected)))
    if isinstance(expected, str) and expected.strip().isascii() and expected.strip().isdigit():
        return min(36_600, int(expected.strip()))
    return 0


def date_add(today: date, days: int) -> str:
    """``today`` moved by ``days``, as text; clamped to the calendar's range."""
    try:
        return (today + timedelta(days=days)).isoformat()
    except OverflowError:
        return "0001-01-01" if days < 0 else "9999-12-31"


def anniversary_days(today: date, days: int) -> set[str]:
    """``MM-DD`` texts whose next anniversary falls within ``days`` days (29 Feb counts on 28 Feb)."""
    out: set[str] = set()
    for offset in range(min(days, 366) + 1):
        day = today + timedelta(days=offset)
        out.add(day.strftime("%m-%d"))
        if day.month == 2 and day.day == 28 and not _is_leap(day.year):
            out.add("02-29")
    return out


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def date_matches(actual: Any, op: str, expected: Any, today: date) -> bool:
    """Date operators on calendar days (UTC)."""
    day = day_text(actual)
    if day is None:
        return False
    if op in {"before", "after"}:
        bound = bound_day(expected)
        if bound is None:
            return False
        return day < bound if op == "before" else day > bound
    days = day_count(expected)
    if op in {"within_last_days", "not_within_last_days"}:
        inside = date_add(today, -days) <= day <= today.isoformat()
        return inside if op == "within_last_days" else not inside
    if op == "within_next_days":
        return today.isoformat() <= day <= date_add(today, days)
    if op == "birthday_in_days":
        return day[5:10] in anniversary_days(today, days)
    raise ValueError(f"unknown date operator {op!r}")


def days_until_anniversary(day: date, today: date) -> int:
    """Days from ``today`` to the next anniversary of ``day`` (0 when it is today). 29 Feb falls on 28 Feb."""
    for year in (today.year, today.year + 1):
        try:
            candidate = day.replace(year=year)
        except ValueError:
            candidate = date(year, 2, 28)
        if candidate >= today:
            return (candidate - today).days
    raise AssertionError("unreachable")


EARTH_RADIUS_M = 6_371_008.8


def haversine_m(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance in metres. storage/segments.py writes the same formula in SQL."""
    dlat = math.radians(lat2 - lat1)
    dlon = math.radians(lon2 - lon1)
    a = math.sin(dlat / 2) ** 2 + math.cos(math.radians(lat1)) * math.cos(math.radians(lat2)) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(math.sqrt(min(1.0, a)))


LIST_OPS = frozenset({"in", "not_in"})
NO_VALUE_OPS = frozenset({"exists", "not_exists"})


def parse_scalar(text: str) -> Any:
    """What a marketer typed, typed: ``true``/``false`` (any case) → bool, ``3`` → int, ``2.5`` or ``2,5`` →
    float, anything else stays text."""
    text = text.strip()
    if text.lower() in {"true", "false"}:
        return text.lower() == "true"
    try:
        return int(text)
    except ValueError:
        pass
    decimal = text.replace(",", ".")
    try:
        return float(decimal) if decimal.count(".") <= 1 else text
    except ValueError:
        return text


def parse_typed(text: str, op: str) -> Any:
    """The typed value of a condition for ``op``: None when the operator takes none, a list (split on commas)
    for in/not in, else one scalar."""
    if op in NO_VALUE_OPS:
        return None
    if op in LIST_OPS:
        return [parse_scalar(part) for part in text.split(",") if part.strip()]
    return parse_scalar(text)


def show_typed(value: Any) -> str:
    """The text an input shows for a typed value (the inverse of ``parse_typed``)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(show_typed(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)
