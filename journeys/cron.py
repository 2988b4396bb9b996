"""Standard 5-field crontab expressions: checked field by field, and weekdays spelt out as names.

Crontab numbers weekdays from Sunday = 0 (7 is Sunday too); APScheduler from Monday = 0. Passing numbers
through would shift every schedule by a day, and a range such as ``0-6`` would read as ``mon-sun`` or fail.
``weekday_names`` therefore expands the weekday field into an explicit list of names both agree on.
"""

from __future__ import annotations

import re

from journeys.errors import InvalidError

DAY_NAMES = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
MONTH_NAMES = ("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec")
# field name, smallest value, largest value, names accepted (numbered from the smallest value)
FIELDS: tuple[tuple[str, int, int, tuple[str, ...]], ...] = (
    ("minute", 0, 59, ()),
    ("hour", 0, 23, ()),
    ("day", 1, 31, ()),
    ("month", 1, 12, MONTH_NAMES),
    ("weekday", 0, 7, DAY_NAMES),
)
_PART = re.compile(r"^(?:(\*)|([a-z0-9]+)(?:-([a-z0-9]+))?)(?:/(\d+))?$")


class CronError(InvalidError):
    """A crontab expression that cannot be read; the message names the field."""


def _value(text: str, name: str, low: int, high: int, names: tuple[str, ...]) -> int:
    if text.isdigit():
        number = int(text)
    elif text in names:
        number = names.index(text) + low
    else:
        raise CronError(f"{name}: '{text}' is not a number" + (f" or one of {', '.join(names)}" if names else ""))
    if not low <= number <= high:
        raise CronError(f"{name}: {number} is outside {low}-{high}")
    return number


def field_values(text: str, name: str, low: int, high: int, names: tuple[str, ...] = ()) -> list[int]:
    """Every value a crontab field selects, in order (``*``, lists, ranges, steps and names)."""
    out: set[int] = set()
    for part in text.lower().split(","):
        match = _PART.match(part)
        if not match:
            raise CronError(f"{name}: '{part}' is not a value, range or step")
        star, first, last, step = match.groups()
        every = int(step) if step else 1
        if every < 1:
            raise CronError(f"{name}: a step must be at least 1")
        start = low if star else _value(first, name, low, high, names)
        end = high if star or (step and not last) else _value(last or first, name, low, high, names)
        if end < start:
            raise CronError(f"{name}: the range {part} runs backwards")
        out.update(range(start, end + 1, every))
    return sorted(out)


def check(expression: str) -> list[str]:
    """The five fields of a valid expression; raises CronError naming the first bad field."""
    parts = expression.split()
    if len(parts) != len(FIELDS):
        raise CronError("a cron expression has 5 fields: minute hour day month weekday, e.g. '0 9 * * 1'")
    for text, (name, low, high, names) in zip(parts, FIELDS, strict=True):
        field_values(text, name, low, high, names)
    return parts


def weekday_names(text: str) -> str:
    """The weekday field as ``*`` or a comma list of day names (Sunday may be written 0 or 7)."""
    if text == "*":
        return "*"
    days = {DAY_NAMES[d % 7] for d in field_values(text, "weekday", 0, 7, DAY_NAMES)}
    return ",".join(d for d in DAY_NAMES if d in days)
