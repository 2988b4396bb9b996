"""Condition trees compiled to one parameterised SQLAlchemy Core predicate over the contact table.

This is the SQL reading of journeys.conditions; both follow the same value rules (typed by the expected
value, ASCII case-insensitive strings, calendar days as ``YYYY-MM-DD`` texts) and a property test keeps
them in agreement. User values only ever travel as bound parameters, JSON paths included.
JSON is read through storage.json_sql: SQLite's JSON1 or PostgreSQL's jsonb, chosen by the session's dialect.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, exists, false, func, literal, not_, or_, select, true

from journeys import condition_values as cv
from journeys import conditions as c
from storage.json_sql import JsonSql, Source, TextColumn
from storage.models import Contact, Event
from storage.prediction_sql import predicted_predicate

CONTACT = Contact.__table__
EVENT = Event.__table__


def typed_eq(source: Source, expected: Any, sql: JsonSql) -> ColumnElement[bool]:
    """values_equal() in SQL: the expected value's type decides the comparison."""
    if isinstance(expected, bool):
        return source.is_bool(expected)
    if cv.is_number(expected):
        return and_(source.is_number(), source.number() == literal(expected))
    if isinstance(expected, str):
        return and_(source.is_text(), sql.lower(source.text()) == literal(cv.ascii_lower(expected)))
    return false()


def _contains(source: Source, column: Any, key: str | None, expected: Any, sql: JsonSql) -> ColumnElement[bool]:
    parts = []
    if key is not None:
        element = sql.any_element(column, key, lambda item: typed_eq(item, expected, sql))
        parts.append(and_(source.is_array(), element))
    if isinstance(expected, str):
        parts.append(and_(source.is_text(), sql.contains_text(sql.lower(source.text()), cv.ascii_lower(expected))))
    return or_(false(), *parts)


def _ordered(source: Source, op: str, expected: Any, sql: JsonSql) -> ColumnElement[bool]:
    if cv.is_number(expected):
        guard, value = source.is_number(), source.number()
    elif isinstance(expected, str):
        guard, value = source.is_text(), sql.ordered_text(source.text())
    else:
        return false()
    bound = literal(expected)
    test = {"gt": value > bound, "gte": value >= bound, "lt": value < bound}.get(op, value <= bound)
    return and_(guard, test)


def value_predicate(
    source: Source, op: str, expected: Any, sql: JsonSql, *, column: Any = None, key: str | None = None
) -> Any:
    """compare() in SQL. Never NULL, so NOT and groups behave as in Python."""
    if op == "exists":
        return source.present()
    if op == "not_exists":
        return not_(source.present())
    if op in {"eq", "neq"}:
        positive = typed_eq(source, expected, sql)
    elif op in {"contains", "not_contains"}:
        positive = _contains(source, column, key, expected, sql)
    elif op in {"in", "not_in"}:
        positive = or_(false(), *(typed_eq(source, o, sql) for o in c.options_of(expected)))
    elif op in {"gt", "gte", "lt", "lte"}:
        return and_(source.present(), _ordered(source, op, expected, sql))
    else:
        raise ValueError(f"unknown operator {op!r}")
    if op in c.NEGATIVE_OPS:
        return or_(not_(source.present()), not_(positive))
    return and_(source.present(), positive)


def date_predicate(source: Source, op: str, expected: Any, today: date, sql: JsonSql, *, timestamp: Any = None) -> Any:
    """date_matches() in SQL, on ``YYYY-MM-DD`` texts (``timestamp``: a datetime column instead of ``source``)."""
    if timestamp is not None:
        valid: Any = timestamp.is_not(None)
        day = sql.day_of_timestamp(timestamp)
    else:
        valid = and_(source.is_text(), sql.looks_like_day(source.text()))
        day = func.substr(source.text(), 1, 10)
    if op in {"before", "after"}:
        bound = cv.bound_day(expected)
        if bound is None:
            return false()
        return and_(valid, day < literal(bound) if op == "before" else day > literal(bound))
    days = cv.day_count(expected)
    if op in {"within_last_days", "not_within_last_days"}:
        lo, hi = cv.date_add(today, -days), today.isoformat()
        inside = and_(day >= literal(lo), day <= literal(hi))
        return and_(valid, inside if op == "within_last_days" else not_(inside))
    if op == "within_next_days":
        return and_(valid, day >= literal(today.isoformat()), day <= literal(cv.date_add(today, days)))
    if op == "birthday_in_days":
        return and_(valid, func.substr(day, 6, 5).in_(sorted(cv.anniversary_days(today, days))))
    raise ValueError(f"unknown date operator {op!r}")


def _performed(condition: c.PerformedCondition, now: datetime, sql: JsonSql) -> Any:
    where = [EVENT.c.contact_id == CONTACT.c.id, EVENT.c.name == literal(condition.event)]
    start = c.window_start(condition, now)
    if start is not None:
        where += [EVENT.c.timestamp >= start, EVENT.c.timestamp <= now]
    for f in condition.filters:
        source = sql.key(EVENT.c.properties, f.property)
        where.append(value_predicate(source, f.op, f.value, sql, column=EVENT.c.properties, key=f.property))
    query = select(literal(1)).select_from(EVENT).where(*where)
    if condition.op == "at_least":
        if condition.count <= 0:
            return true()
        return exists(query.limit(1).offset(condition.count - 1))
    return not_(exists(query.limit(1).offset(condition.count)))


def _geofence(condition: c.GeofenceCondition, sql: JsonSql) -> Any:
    """Bounding box on the indexed lat/lon first, then the exact haversine distance."""
    angle = condition.radius_m / cv.EARTH_RADIUS_M
    dlat = math.degrees(angle) * 1.001 + 1e-9
    lat, lon = CONTACT.c.lat, CONTACT.c.lon
    box = [lat.is_not(None), lon.is_not(None), lat.between(condition.lat - dlat, condition.lat + dlat)]
    cos_lat0 = math.cos(math.radians(condition.lat))
    if abs(condition.lat) + dlat < 89.0 and angle < 1.0:
        dlon = math.degrees(math.asin(min(1.0, math.sin(angle) / cos_lat0))) * 1.001 + 1e-9
        if condition.lon - dlon >= -180 and condition.lon + dlon <= 180:
            box.append(lon.between(condition.lon - dlon, condition.lon + dlon))
    half_dlat = func.sin(func.radians(lat - condition.lat) / 2)
    half_dlon = func.sin(func.radians(lon - condition.lon) / 2)
    a = half_dlat * half_dlat + literal(cos_lat0) * func.cos(func.radians(lat)) * half_dlon * half_dlon
    distance = 2 * literal(cv.EARTH_RADIUS_M) * func.asin(func.sqrt(sql.least(literal(1.0), a)))
    return and_(*box, distance <= condition.radius_m)


COST = {
    "GeofenceCondition": 0,
    "PlatformCondition": 1,
    "TimeZoneCondition": 1,
    "SeenCondition": 1,
    "EventPropertyCondition": 0,
    "AttributeCondition": 2,
    "ConsentCondition": 2,
    "Group": 4,
    "SegmentCondition": 4,
    "PerformedCondition": 8,
}


@dataclass
class Compiler:
    """Compiles one tree. ``segments`` maps saved names to trees; ``event_properties`` is the trigger's."""

    now: datetime
    segments: Mapping[str, c.Condition]
    event_properties: Mapping[str, Any]
    sql: JsonSql

    def compile(self, condition: c.Condition, stack: tuple[str, ...] = ()) -> Any:
        handler: Callable[..., Any] = getattr(self, "_" + type(condition).__name__)
        return handler(condition, stack)

    @property
    def today(self) -> date:
        return self.now.astimezone(UTC).date()

    def _Group(self, node: c.Group, stack: tuple[str, ...]) -> Any:
        # Leaves never yield NULL and have no side effects, so cheap, selective tests can go first.
        children = sorted(node.conditions, key=lambda child: COST.get(type(child).__name__, 5))
        parts = [self.compile(child, stack) for child in children]
        return and_(true(), *parts) if node.match == "all" else or_(false(), *parts)

    def _AttributeCondition(self, node: c.AttributeCondition, _stack: tuple[str, ...]) -> Any:
        if node.attribute in c.BUILTIN_FIELDS:
            source: Source = TextColumn(CONTACT.c[node.attribute])
            column, key = None, None
        else:
            source = self.sql.key(CONTACT.c.attributes, node.attribute)
            column, key = CONTACT.c.attributes, node.attribute
        if node.op in c.DATE_OPS:
            return date_predicate(source, node.op, node.value, self.today, self.sql)
        return value_predicate(source, node.op, node.value, self.sql, column=column, key=key)

    def _EventPropertyCondition(self, node: c.EventPropertyCondition, _stack: tuple[str, ...]) -> Any:
        return true() if c.compare(self.event_properties.get(node.property), node.op, node.value) else false()

    def _PerformedCondition(self, node: c.PerformedCondition, _stack: tuple[str, ...]) -> Any:
        return _performed(node, self.now, self.sql)

    def _SeenCondition(self, node: c.SeenCondition, _stack: tuple[str, ...]) -> Any:
        column = CONTACT.c.first_seen_at if node.kind == "first_seen" else CONTACT.c.last_seen_at
        return date_predicate(TextColumn(column), node.op, node.value, self.today, self.sql, timestamp=column)

    def _PlatformCondition(self, node: c.PlatformCondition, _stack: tuple[str, ...]) -> Any:
        return value_predicate(TextColumn(CONTACT.c.platform), node.op, node.value, self.sql)

    def _TimeZoneCondition(self, node: c.TimeZoneCondition, _stack: tuple[str, ...]) -> Any:
        return value_predicate(TextColumn(CONTACT.c.time_zone), node.op, node.value, self.sql)

    def _GeofenceCondition(self, node: c.GeofenceCondition, _stack: tuple[str, ...]) -> Any:
        return _geofence(node, self.sql)

    def _ConsentCondition(self, node: c.ConsentCondition, _stack: tuple[str, ...]) -> Any:
        value = func.coalesce(self.sql.key_text(CONTACT.c.consent, node.channel), "")
        return value == "subscribed" if node.status == "subscribed" else value != "subscribed"

    def _PredictedCondition(self, node: c.PredictedCondition, _stack: tuple[str, ...]) -> Any:
        return predicted_predicate(node)

    def _SegmentCondition(self, node: c.SegmentCondition, stack: tuple[str, ...]) -> Any:
        if node.segment in stack:
            raise c.SegmentCycle([*stack, node.segment])
        if node.segment not in self.segments:
            raise c.UnknownSegment(node.segment)
        inner = self.compile(self.segments[node.segment], (*stack, node.segment))
        return not_(inner) if node.negate else inner


def compile_condition(
    condition: c.Condition,
    *,
    now: datetime,
    segments: Mapping[str, c.Condition] | None = None,
    event_properties: Mapping[str, Any] | None = None,
    stack: tuple[str, ...] = (),
    dialect: str = "sqlite",
) -> Any:
    """The WHERE clause (over ``contact``) selecting contacts that match ``condition`` at ``now``, in the SQL of
    ``dialect`` (``sqlite`` or ``postgresql``)."""
    compiler = Compiler(now=now, segments=segments or {}, event_properties=event_properties or {}, sql=JsonSql(dialect))
    return compiler.compile(condition, stack)
