"""Condition trees: pure data shared by segments, branches and event filters.

A tree is a group (``all``/``any``) of leaves and nested groups. ``storage`` compiles a tree to one
parameterised SQL query; :func:`evaluate` is the straightforward in-Python reading of the same tree, used
for branches on a single contact and as the reference the SQL compiler is tested against.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

from journeys.condition_values import ascii_lower, date_matches, haversine_m, is_number
from journeys.durations import Duration
from journeys.errors import InvalidError, NotFoundError
from journeys.predictions import PredictedCondition, matches

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
# Attribute and property names: any text without quotes or backslashes (they would break a JSON path).
KEY_PATTERN = r'^[^"\\]+$'
# Contact columns an attribute condition may name; any other name is a key of ``attributes``.
BUILTIN_FIELDS = ("email", "phone", "time_zone", "locale", "platform", "device", "external_id", "push_id")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class PropertyFilter(_Strict):
    """A test on one property of an event, such as ``total gt 100``."""

    property: str = Field(min_length=1, max_length=200, pattern=KEY_PATTERN)
    op: ValueOp = "eq"
    value: Any = None


class AttributeCondition(_Strict):
    """A contact attribute or built-in field (email, phone, time_zone, locale, platform)."""

    kind: Literal["attribute"] = "attribute"
    attribute: str = Field(min_length=1, max_length=200, pattern=KEY_PATTERN)
    op: Op = "eq"
    value: Any = None


class EventPropertyCondition(_Strict):
    """A property of the event that triggered the entry or woke the wait."""

    kind: Literal["event_property"] = "event_property"
    property: str = Field(min_length=1, max_length=200, pattern=KEY_PATTERN)
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
    | PredictedCondition
    | Group,
    Field(discriminator="kind"),
]
Group.model_rebuild()


CONDITION_ADAPTER: TypeAdapter[Condition] = TypeAdapter(Condition)


def parse_condition(data: Any) -> Condition:
    """A condition tree from its JSON form (raises pydantic.ValidationError)."""
    if isinstance(data, BaseModel):
        return data  # type: ignore[return-value]
    return CONDITION_ADAPTER.validate_python(data)


def walk(condition: Condition) -> list[Condition]:
    """Every node of a tree, depth first, the root included."""
    out: list[Condition] = [condition]
    if isinstance(condition, Group):
        for child in condition.conditions:
            out.extend(walk(child))
    return out


class UnknownSegment(NotFoundError):
    """A segment condition names a segment that does not exist."""

    def __init__(self, name: str) -> None:
        super().__init__(f"unknown segment {name!r}")
        self.name = name


class SegmentCycle(InvalidError):
    """Saved segments that refer to each other in a loop."""

    def __init__(self, names: Sequence[str]) -> None:
        super().__init__("segments refer to each other in a loop: " + " → ".join(names))
        self.names = list(names)


@dataclass
class Subject:
    """One contact as the evaluator sees it, plus the event that triggered the evaluation (if any)."""

    id: int | None = None
    external_id: str | None = None
    email: str | None = None
    phone: str | None = None
    push_id: str | None = None
    time_zone: str | None = None
    locale: str | None = None
    platform: str | None = None
    device: str | None = None
    attributes: Mapping[str, Any] = field(default_factory=dict)
    consent: Mapping[str, Any] = field(default_factory=dict)
    lat: float | None = None
    lon: float | None = None
    first_seen_at: datetime | None = None
    last_seen_at: datetime | None = None
    event_properties: Mapping[str, Any] = field(default_factory=dict)
    # goal slug -> {"score", "band"}; loaded only where a tree or template reads predictions.
    predicted: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # The contact's events as (name, timestamp, properties); only needed for ``performed`` conditions.
    events: Sequence[tuple[str, datetime, Mapping[str, Any]]] = ()

    def field_value(self, name: str) -> Any:
        if name in BUILTIN_FIELDS:
            return getattr(self, name)
        return self.attributes.get(name)


# ---------------------------------------------------------------------------------------------------------
# Value semantics. The SQL compiler in storage/segments.py implements exactly these rules, and a property
# test checks both agree: comparisons are typed by the *expected* value.
#   - a string compares case-insensitively (ASCII letters) with string values only;
#   - a number compares with JSON numbers only (never booleans, never numeric-looking strings);
#   - a boolean compares with JSON booleans only;
#   - a missing value (or JSON null) never matches, except for neq / not_contains / not_in / not_exists.
# ---------------------------------------------------------------------------------------------------------

NEGATIVE_OPS = {"neq", "not_contains", "not_in", "not_exists"}
DATE_OPS = {"before", "after", "within_last_days", "within_next_days", "birthday_in_days"}


def values_equal(actual: Any, expected: Any) -> bool:
    """Typed equality: see the rules above."""
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual == expected
    if is_number(expected):
        return is_number(actual) and actual == expected
    if isinstance(expected, str):
        return isinstance(actual, str) and ascii_lower(actual) == ascii_lower(expected)
    return False


def _contains(actual: Any, expected: Any) -> bool:
    if isinstance(actual, list):
        return any(values_equal(item, expected) for item in actual)
    if isinstance(actual, str) and isinstance(expected, str):
        return ascii_lower(expected) in ascii_lower(actual)
    return False


def _ordered(actual: Any, op: str, expected: Any) -> bool:
    if is_number(expected) and is_number(actual) or isinstance(expected, str) and isinstance(actual, str):
        return {"gt": actual > expected, "gte": actual >= expected, "lt": actual < expected, "lte": actual <= expected}[
            op
        ]
    return False


def options_of(expected: Any) -> list[Any]:
    return list(expected) if isinstance(expected, list | tuple) else [expected]


def compare(actual: Any, op: str, expected: Any) -> bool:
    """Apply a value operator; missing values only match the negative operators."""
    if op == "exists":
        return actual is not None
    if op == "not_exists":
        return actual is None
    if actual is None:
        return op in NEGATIVE_OPS
    if op in {"eq", "neq"}:
        return values_equal(actual, expected) == (op == "eq")
    if op in {"contains", "not_contains"}:
        return _contains(actual, expected) == (op == "contains")
    if op in {"in", "not_in"}:
        found = any(values_equal(actual, option) for option in options_of(expected))
        return found == (op == "in")
    if op in {"gt", "gte", "lt", "lte"}:
        return _ordered(actual, op, expected)
    raise ValueError(f"operator {op!r} needs a clock; use evaluate()")


def matches_filters(properties: Mapping[str, Any], filters: Sequence[PropertyFilter]) -> bool:
    """True when an event's properties pass every filter."""
    return all(compare(properties.get(f.property), f.op, f.value) for f in filters)


# ---------------------------------------------------------------------------------------------------------
# The evaluator
# ---------------------------------------------------------------------------------------------------------


def evaluate(
    condition: Condition,
    subject: Subject,
    *,
    now: datetime,
    segments: Mapping[str, Condition] | None = None,
    _stack: tuple[str, ...] = (),
) -> bool:
    """Whether ``subject`` matches ``condition`` at ``now``. ``segments`` maps saved segment names to trees.

    Raises UnknownSegment for a segment name missing from ``segments`` and SegmentCycle for a loop.
    """
    today = now.astimezone(UTC).date()
    if isinstance(condition, Group):
        results = (evaluate(c, subject, now=now, segments=segments, _stack=_stack) for c in condition.conditions)
        return all(results) if condition.match == "all" else any(results)
    if isinstance(condition, AttributeCondition):
        actual = subject.field_value(condition.attribute)
        if condition.op in DATE_OPS:
            return date_matches(actual, condition.op, condition.value, today)
        return compare(actual, condition.op, condition.value)
    if isinstance(condition, EventPropertyCondition):
        return compare(subject.event_properties.get(condition.property), condition.op, condition.value)
    if isinstance(condition, PerformedCondition):
        return _performed(condition, subject, now)
    if isinstance(condition, SeenCondition):
        moment = subject.first_seen_at if condition.kind == "first_seen" else subject.last_seen_at
        return date_matches(moment, condition.op, condition.value, today)
    if isinstance(condition, PlatformCondition | TimeZoneCondition):
        actual = subject.platform if condition.kind == "platform" else subject.time_zone
        return compare(actual, condition.op, condition.value)
    if isinstance(condition, GeofenceCondition):
        if subject.lat is None or subject.lon is None:
            return False
        return haversine_m(condition.lat, condition.lon, subject.lat, subject.lon) <= condition.radius_m
    if isinstance(condition, ConsentCondition):
        subscribed = subject.consent.get(condition.channel) == "subscribed"
        return subscribed == (condition.status == "subscribed")
    if isinstance(condition, PredictedCondition):
        return matches(condition, subject.predicted.get(condition.goal))
    if isinstance(condition, SegmentCondition):
        return _in_segment(condition, subject, now, segments or {}, _stack)
    raise TypeError(f"not a condition: {condition!r}")


def window_start(condition: PerformedCondition, now: datetime) -> datetime | None:
    return None if condition.within is None else now - condition.within.to_timedelta()


def _performed(condition: PerformedCondition, subject: Subject, now: datetime) -> bool:
    start = window_start(condition, now)
    count = 0
    for name, timestamp, properties in subject.events:
        if name != condition.event:
            continue
        if start is not None and not start <= timestamp <= now:
            continue
        if matches_filters(properties, condition.filters):
            count += 1
    return count >= condition.count if condition.op == "at_least" else count <= condition.count


def _in_segment(
    condition: SegmentCondition, subject: Subject, now: datetime, segments: Mapping[str, Condition], stack: tuple
) -> bool:
    name = condition.segment
    if name in stack:
        raise SegmentCycle([*stack, name])
    if name not in segments:
        raise UnknownSegment(name)
    inside = evaluate(segments[name], subject, now=now, segments=segments, _stack=(*stack, name))
    return inside != condition.negate
