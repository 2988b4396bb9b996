"""The in-Python evaluator of condition trees: every operator, each with a case that must not match."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from journeys.condition_values import haversine_m
from journeys.conditions import (
    SegmentCycle,
    Subject,
    UnknownSegment,
    evaluate,
    parse_condition,
)

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def check(tree: dict, subject: Subject, segments: dict | None = None) -> bool:
    parsed = {name: parse_condition(value) for name, value in (segments or {}).items()}
    return evaluate(parse_condition(tree), subject, now=NOW, segments=parsed)


def attr(op: str, value: object = None, attribute: str = "plan") -> dict:
    return {"kind": "attribute", "attribute": attribute, "op": op, "value": value}


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("eq", "Gold", "gold", True),
        ("eq", "gold", "silver", False),
        ("eq", 5, 5, True),
        ("eq", 5, "5", False),
        ("eq", True, True, True),
        ("eq", True, 1, False),
        ("neq", "gold", "silver", True),
        ("neq", "gold", "GOLD", False),
        ("neq", "gold", None, True),
        ("contains", "old", "Gold", True),
        ("contains", "xyz", "Gold", False),
        ("contains", "vip", ["VIP", "beta"], True),
        ("contains", "vip", ["beta"], False),
        ("not_contains", "vip", ["beta"], True),
        ("not_contains", "old", "gold", False),
        ("in", ["gold", "silver"], "Silver", True),
        ("in", ["gold", "silver"], "bronze", False),
        ("not_in", ["gold"], "bronze", True),
        ("not_in", ["gold"], "gold", False),
        ("gt", 10, 11, True),
        ("gt", 10, 10, False),
        ("gte", 10, 10, True),
        ("gte", 10, 9.5, False),
        ("lt", 10, 9, True),
        ("lt", 10, "9", False),
        ("lte", 10, 10, True),
        ("lte", 10, 11, False),
        ("exists", None, 0, True),
        ("exists", None, None, False),
        ("not_exists", None, None, True),
        ("not_exists", None, "x", False),
        ("eq", "gold", None, False),
    ],
)
def test_attribute_value_operators(op: str, value: object, actual: object, expected: bool) -> None:
    subject = Subject(attributes={} if actual is None else {"plan": actual})
    assert check(attr(op, value), subject) is expected


@pytest.mark.parametrize(
    ("op", "value", "actual", "expected"),
    [
        ("before", "2026-01-01", "2025-12-31", True),
        ("before", "2026-01-01", "2026-01-01", False),
        ("after", "2026-01-01", "2026-01-02T08:00:00Z", True),
        ("after", "2026-01-01", "2025-06-01", False),
        ("within_last_days", 7, "2026-03-03", True),
        ("within_last_days", 7, "2026-03-02", False),
        ("within_last_days", 7, "2026-03-11", False),
        ("within_next_days", 3, "2026-03-13", True),
        ("within_next_days", 3, "2026-03-14", False),
        ("birthday_in_days", 5, "1990-03-14", True),
        ("birthday_in_days", 5, "1990-03-16", False),
        ("birthday_in_days", 0, "1984-03-10", True),
        ("before", "2026-01-01", "not a date", False),
    ],
)
def test_attribute_date_operators(op: str, value: object, actual: object, expected: bool) -> None:
    assert check(attr(op, value, "birthday"), Subject(attributes={"birthday": actual})) is expected


def test_birthday_on_29_february_is_celebrated_on_28_february_in_common_years() -> None:
    subject = Subject(attributes={"birthday": "2000-02-29"})
    tree = attr("birthday_in_days", 0, "birthday")
    assert evaluate(parse_condition(tree), subject, now=datetime(2027, 2, 28, tzinfo=UTC)) is True
    assert evaluate(parse_condition(tree), subject, now=datetime(2027, 2, 27, tzinfo=UTC)) is False


def test_builtin_fields_are_read_from_the_contact_not_attributes() -> None:
    subject = Subject(email="Ada@Example.com", attributes={"email": "other@example.com"})
    assert check(attr("contains", "@example.com", "email"), subject)
    assert not check(attr("eq", "other@example.com", "email"), subject)


def test_event_property_reads_the_triggering_event() -> None:
    subject = Subject(event_properties={"total": 120, "currency": "EUR"})
    assert check({"kind": "event_property", "property": "total", "op": "gt", "value": 100}, subject)
    assert not check({"kind": "event_property", "property": "currency", "op": "eq", "value": "USD"}, subject)


def _events(*items: tuple[str, int, dict]) -> list[tuple[str, datetime, dict]]:
    return [(name, NOW - timedelta(days=days_ago), props) for name, days_ago, props in items]


def test_performed_counts_events_in_the_window_with_filters() -> None:
    subject = Subject(
        events=_events(("purchase", 1, {"total": 50}), ("purchase", 3, {"total": 150}), ("purchase", 40, {}))
    )
    base = {"kind": "performed", "event": "purchase", "within": {"amount": 7, "unit": "days"}}
    assert check({**base, "op": "at_least", "count": 2}, subject)
    assert not check({**base, "op": "at_least", "count": 3}, subject)
    assert check({**base, "op": "at_most", "count": 2}, subject)
    assert not check({**base, "op": "at_most", "count": 1}, subject)
    big = {**base, "filters": [{"property": "total", "op": "gte", "value": 100}]}
    assert check({**big, "count": 1}, subject)
    assert not check({**big, "count": 2}, subject)
    assert check({"kind": "performed", "event": "purchase", "count": 3}, subject)
    assert not check({"kind": "performed", "event": "signup", "count": 1}, subject)


def test_first_and_last_seen() -> None:
    subject = Subject(first_seen_at=NOW - timedelta(days=100), last_seen_at=NOW - timedelta(days=2))
    assert check({"kind": "last_seen", "op": "within_last_days", "value": 3}, subject)
    assert not check({"kind": "last_seen", "op": "within_last_days", "value": 1}, subject)
    assert check({"kind": "last_seen", "op": "not_within_last_days", "value": 1}, subject)
    assert check({"kind": "first_seen", "op": "before", "value": "2026-01-01"}, subject)
    assert not check({"kind": "first_seen", "op": "after", "value": "2026-01-01"}, subject)
    assert not check({"kind": "last_seen", "op": "within_last_days", "value": 3}, Subject())


def test_platform_and_time_zone() -> None:
    subject = Subject(platform="iOS", time_zone="Europe/Paris")
    assert check({"kind": "platform", "op": "eq", "value": "ios"}, subject)
    assert not check({"kind": "platform", "op": "in", "value": ["android", "web"]}, subject)
    assert check({"kind": "time_zone", "op": "eq", "value": "Europe/Paris"}, subject)
    assert not check({"kind": "time_zone", "op": "neq", "value": "Europe/Paris"}, subject)


def test_geofence_at_the_edge_of_its_radius() -> None:
    # 0.01 degree of latitude is about 1,112 m.
    subject = Subject(lat=48.8566 + 0.01, lon=2.3522)
    distance = haversine_m(48.8566, 2.3522, subject.lat, subject.lon)
    inside = {"kind": "geofence", "lat": 48.8566, "lon": 2.3522, "radius_m": distance + 1}
    outside = {**inside, "radius_m": distance - 1}
    assert check(inside, subject)
    assert not check(outside, subject)
    assert not check(inside, Subject())


def test_consent_per_channel() -> None:
    subject = Subject(consent={"push": "subscribed", "email": "unsubscribed"})
    assert check({"kind": "consent", "channel": "push"}, subject)
    assert not check({"kind": "consent", "channel": "email"}, subject)
    assert check({"kind": "consent", "channel": "email", "status": "unsubscribed"}, subject)
    assert not check({"kind": "consent", "channel": "sms"}, subject)


def test_nested_groups() -> None:
    tree = {
        "kind": "group",
        "match": "all",
        "conditions": [
            attr("eq", "gold"),
            {"kind": "group", "match": "any", "conditions": [{"kind": "platform", "value": "ios"}, attr("gt", 3, "n")]},
        ],
    }
    assert check(tree, Subject(platform="ios", attributes={"plan": "gold"}))
    assert check(tree, Subject(platform="android", attributes={"plan": "gold", "n": 4}))
    assert not check(tree, Subject(platform="android", attributes={"plan": "gold", "n": 3}))
    assert check({"kind": "group", "match": "all", "conditions": []}, Subject())
    assert not check({"kind": "group", "match": "any", "conditions": []}, Subject())


def test_segment_conditions_refer_to_saved_segments() -> None:
    segments = {"gold": attr("eq", "gold")}
    assert check({"kind": "segment", "segment": "gold"}, Subject(attributes={"plan": "gold"}), segments)
    assert not check(
        {"kind": "segment", "segment": "gold", "negate": True}, Subject(attributes={"plan": "gold"}), segments
    )
    with pytest.raises(UnknownSegment, match="missing"):
        check({"kind": "segment", "segment": "missing"}, Subject(), segments)


def test_segments_referring_to_each_other_in_a_loop_are_refused() -> None:
    segments = {"a": {"kind": "segment", "segment": "b"}, "b": {"kind": "segment", "segment": "a"}}
    with pytest.raises(SegmentCycle, match="a → b → a"):
        check({"kind": "segment", "segment": "a"}, Subject(), segments)


def test_attribute_names_with_quotes_are_refused() -> None:
    with pytest.raises(ValueError, match="pattern"):
        parse_condition(attr("eq", 1, 'bad"name'))
