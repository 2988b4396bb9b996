"""Condition trees: pure data shared by segments, branches and event filters.

A tree is a group (``all``/``any``) of leaves and nested groups. ``storage`` compiles a tree to one
parameterised SQL query; :func:`evaluate` is the straightforward in-Python reading of the same tree, used
for branches on a single contact and as the reference the SQL compiler is tested against.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from journeys.durations import Duration

ValueOp = Literal[
    "eq",
    "neq",
    "contains",
    "not_contains",
    "in",
    "not_in",
    "gt",
    "gte",
    "lt",
    "lte",
    "exists",
    "not_exists",
]
DateOp = Literal["before", "after", "within_last_days", "within_next_days", "birthday_in_days"]
Op = ValueOp | DateOp

OPS_NEEDING_NO_VALUE = {"exists", "not_exists"}


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PropertyFilter(_Strict):
    """A test on one property of an event, such as ``total gt 100``."""

    property: str = Field(min_length=1)
    op: ValueOp = "eq"
    value: Any = None


class AttributeCondition(_Strict):
    """A contact attribute or built-in field (email, phone, time_zone, locale, platform)."""

    kind: Literal["attribute"] = "attribute"
    attribute: str = Field(min_length=1)
    op: Op = "eq"
    value: Any = None


class EventPropertyCondition(_Strict):
    """A property of the event that triggered the entry or woke the wait."""

    kind: Literal["event_property"] = "event_property"
    property: str = Field(min_length=1)
    op: ValueOp = "eq"
    value: Any = None


class PerformedCondition(_Strict):
    """Performed an event at least / at most N times, optionally within a window and with filters."""

    kind: Literal["performed"] = "performed"
    event: str = Field(min_length=1)
    op: Literal["at_least", "at_most"] = "at_least"
    count: int = Field(default=1, ge=0)
    within: Duration | None = None
    filters: list[PropertyFilter] = Field(default_factory=list)


class SeenCondition(_Strict):
    """When the contact was first or last seen."""

    kind: Literal["first_seen", "last_seen"] = "last_seen"
    op: Literal["before", "after", "within_last_days", "not_within_last_days"] = "within_last_days"
    value: Any = None


class PlatformCondition(_Strict):
    kind: Literal["platform"] = "platform"
    op: Literal["eq", "neq", "in", "not_in"] = "eq"
    value: Any = None


class TimeZoneCondition(_Strict):
    kind: Literal["time_zone"] = "time_zone"
    op: Literal["eq", "neq", "in", "not_in"] = "eq"
    value: Any = None


class GeofenceCondition(_Strict):
    """Last known location within ``radius_m`` metres of a point."""

    kind: Literal["geofence"] = "geofence"
    lat: float = Field(ge=-90, le=90)
    lon: float = Field(ge=-180, le=180)
    radius_m: float = Field(gt=0, le=20_000_000)


class ConsentCondition(_Strict):
    kind: Literal["consent"] = "consent"
    channel: Literal["push", "sms", "email", "in_app"]
    status: Literal["subscribed", "unsubscribed"] = "subscribed"


class SegmentCondition(_Strict):
    """Membership of a saved segment, by name."""

    kind: Literal["segment"] = "segment"
    segment: str = Field(min_length=1)
    negate: bool = False


class Group(_Strict):
    kind: Literal["group"] = "group"
    match: Literal["all", "any"] = "all"
    conditions: list[Condition] = Field(default_factory=list)


Condition = Annotated[
    AttributeCondition
    | EventPropertyCondition
    | PerformedCondition
    | SeenCondition
    | PlatformCondition
    | TimeZoneCondition
    | GeofenceCondition
    | ConsentCondition
    | SegmentCondition
    | Group,
    Field(discriminator="kind"),
]
Group.model_rebuild()


def walk(condition: Condition) -> list[Condition]:
    """Every node of a tree, depth first, the root included."""
    out: list[Condition] = [condition]
    if isinstance(condition, Group):
        for child in condition.conditions:
            out.extend(walk(child))
    return out


def _as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _as_datetime(value: Any) -> datetime | None:
    if isinstance(value, datetime):
        return value
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return None
    return None


def compare(actual: Any, op: str, expected: Any) -> bool:
    """Apply a value operator the way the SQL compiler does: missing values never match a comparison."""
    if op == "exists":
        return actual is not None
    if op == "not_exists":
        return actual is None
    if actual is None:
        return op in {"neq", "not_contains", "not_in"}
    if op == "eq":
        return _loose_eq(actual, expected)
    if op == "neq":
        return not _loose_eq(actual, expected)
    if op in {"contains", "not_contains"}:
        if isinstance(actual, list):
            found = any(_loose_eq(item, expected) for item in actual)
        else:
            found = str(expected).lower() in str(actual).lower()
        return found if op == "contains" else not found
    if op in {"in", "not_in"}:
        options = expected if isinstance(expected, list) else [expected]
        found = any(_loose_eq(actual, option) for option in options)
        return found if op == "in" else not found
    if op in {"gt", "gte", "lt", "lte"}:
        a, b = _as_number(actual), _as_number(expected)
        if a is None or b is None:
            return False
        return {"gt": a > b, "gte": a >= b, "lt": a < b, "lte": a <= b}[op]
    raise ValueError(f"operator {op!r} needs a clock; use evaluate()")


def _loose_eq(actual: Any, expected: Any) -> bool:
    if isinstance(actual, str) and isinstance(expected, str):
        return actual.lower() == expected.lower()
    a, b = _as_number(actual), _as_number(expected)
    if a is not None and b is not None:
        return a == b
    return actual == expected


def matches_filters(properties: Mapping[str, Any], filters: list[PropertyFilter]) -> bool:
    """True when an event's properties pass every filter."""
    return all(compare(properties.get(f.property), f.op, f.value) for f in filters)


def date_matches(actual: Any, op: str, expected: Any, today: date) -> bool:
    """Date operators, evaluated on calendar days."""
    moment = _as_datetime(actual)
    if moment is None:
        return False
    day = moment.date()
    if op in {"before", "after"}:
        bound = _as_datetime(expected)
        if bound is None:
            return False
        return day < bound.date() if op == "before" else day > bound.date()
    days = int(_as_number(expected) or 0)
    if op == "within_last_days":
        return 0 <= (today - day).days <= days
    if op == "not_within_last_days":
        return not 0 <= (today - day).days <= days
    if op == "within_next_days":
        return 0 <= (day - today).days <= days
    if op == "birthday_in_days":
        return 0 <= days_until_anniversary(day, today) <= days
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
