"""Compiled SQL and the in-Python evaluator agree; each operator runs against a real SQLite file."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import delete, insert

from journeys import conditions as c
from storage import segments
from storage.models import Contact, Event

NOW = datetime(2026, 3, 10, 12, 30, tzinfo=UTC)
PARIS = (48.8566, 2.3522)

KEYS = ["plan", "n", "tags", "birthday", "vip"]
TEXTS = ["gold", "Gold", "GOLD", "silver", "gö", "", "old", "2026-03-12", "1990-03-11"]
days_text = st.integers(-400, 400).map(lambda d: (NOW.date() + timedelta(days=d)).isoformat())
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-5, 5),
    st.sampled_from([0.5, -1.5, 2.0]),
    st.sampled_from(TEXTS),
    days_text,
    days_text.map(lambda d: d + "T23:30:00Z"),
)
values = st.one_of(scalars, st.lists(scalars.filter(lambda v: v is not None), max_size=3))
VALUE_OPS = ["eq", "neq", "contains", "not_contains", "in", "not_in", "gt", "gte", "lt", "lte", "exists", "not_exists"]
UNITS = ["hours", "days"]
DATE_OPS = ["before", "after", "within_last_days", "within_next_days", "birthday_in_days"]

attribute_leaf = st.builds(
    lambda key, op, value: {"kind": "attribute", "attribute": key, "op": op, "value": value},
    st.sampled_from(KEYS + ["email", "platform"]),
    st.sampled_from(VALUE_OPS),
    values,
)
date_leaf = st.builds(
    lambda key, op, value: {"kind": "attribute", "attribute": key, "op": op, "value": value},
    st.sampled_from(["birthday", "plan"]),
    st.sampled_from(DATE_OPS),
    st.one_of(st.integers(0, 40), days_text),
)
prop_filter = st.builds(
    lambda prop, op, value: {"property": prop, "op": op, "value": value},
    st.sampled_from(["total", "currency"]),
    st.sampled_from(VALUE_OPS),
    values,
)
performed_leaf = st.builds(
    lambda event, op, count, within, filters: {
        "kind": "performed",
        "event": event,
        "op": op,
        "count": count,
        "within": within,
        "filters": filters,
    },
    st.sampled_from(["purchase", "open"]),
    st.sampled_from(["at_least", "at_most"]),
    st.integers(0, 3),
    st.one_of(
        st.none(),
        st.builds(lambda a, u: {"amount": a, "unit": u}, st.integers(0, 10), st.sampled_from(["hours", "days"])),
    ),
    st.lists(prop_filter, max_size=2),
)
seen_leaf = st.builds(
    lambda kind, op, value: {"kind": kind, "op": op, "value": value},
    st.sampled_from(["first_seen", "last_seen"]),
    st.sampled_from(["before", "after", "within_last_days", "not_within_last_days"]),
    st.one_of(st.integers(0, 30), days_text),
)
simple_leaf = st.one_of(
    st.builds(
        lambda op, v: {"kind": "platform", "op": op, "value": v}, st.sampled_from(["eq", "neq", "in", "not_in"]), values
    ),
    st.builds(lambda op, v: {"kind": "time_zone", "op": op, "value": v}, st.sampled_from(["eq", "in"]), values),
    st.builds(
        lambda dlat, dlon, r: {"kind": "geofence", "lat": PARIS[0] + dlat, "lon": PARIS[1] + dlon, "radius_m": r},
        st.floats(-0.05, 0.05),
        st.floats(-0.05, 0.05),
        st.floats(10, 8000),
    ),
    st.builds(
        lambda ch, status: {"kind": "consent", "channel": ch, "status": status},
        st.sampled_from(["push", "email"]),
        st.sampled_from(["subscribed", "unsubscribed"]),
    ),
    st.builds(lambda neg: {"kind": "segment", "segment": "vip", "negate": neg}, st.booleans()),
    st.builds(
        lambda op, v: {"kind": "event_property", "property": "total", "op": op, "value": v},
        st.sampled_from(VALUE_OPS),
        values,
    ),
)
leaves = st.one_of(attribute_leaf, date_leaf, performed_leaf, seen_leaf, simple_leaf)
trees = st.recursive(
    leaves,
    lambda children: st.builds(
        lambda match, items: {"kind": "group", "match": match, "conditions": items},
        st.sampled_from(["all", "any"]),
        st.lists(children, max_size=3),
    ),
    max_leaves=6,
)
moments = st.one_of(st.none(), st.integers(0, 60 * 24 * 60).map(lambda m: NOW - timedelta(minutes=m)))
contacts = st.builds(
    lambda attrs, email, platform, tz, loc, consent, first, last, events: {
        "attributes": attrs,
        "email": email,
        "platform": platform,
        "time_zone": tz,
        "lat": None if loc is None else PARIS[0] + loc[0],
        "lon": None if loc is None else PARIS[1] + loc[1],
        "consent": consent,
        "first_seen_at": first,
        "last_seen_at": last,
        "events": events,
    },
    st.dictionaries(st.sampled_from(KEYS), values, max_size=4),
    st.sampled_from([None, "ada@example.com", "Gold@Example.com"]),
    st.sampled_from([None, "ios", "iOS", "android", "gold"]),
    st.sampled_from([None, "Europe/Paris", "America/New_York"]),
    st.one_of(st.none(), st.tuples(st.floats(-0.06, 0.06), st.floats(-0.06, 0.06))),
    st.dictionaries(st.sampled_from(["push", "email"]), st.sampled_from(["subscribed", "unsubscribed"])),
    moments,
    moments,
    st.lists(
        st.tuples(
            st.sampled_from(["purchase", "open"]),
            st.integers(-60, 60 * 24 * 12).map(lambda m: NOW - timedelta(minutes=m)),
            st.dictionaries(st.sampled_from(["total", "currency"]), scalars, max_size=2),
        ),
        max_size=4,
    ),
)
VIP = {
    "kind": "group",
    "match": "any",
    "conditions": [{"kind": "attribute", "attribute": "vip", "op": "eq", "value": True}],
}


def _store(ctx: Any, people: list[dict[str, Any]]) -> list[c.Subject]:
    subjects = []
    with ctx.db.session() as session:
        session.execute(delete(Event.__table__))
        session.execute(delete(Contact.__table__))
        for person in people:
            fields = {k: v for k, v in person.items() if k != "events"}
            contact_id = session.execute(
                insert(Contact.__table__).values(**fields, created_at=NOW, updated_at=NOW)
            ).inserted_primary_key[0]
            for name, ts, props in person["events"]:
                session.execute(
                    insert(Event.__table__).values(
                        contact_id=contact_id, name=name, properties=props, timestamp=ts, received_at=NOW
                    )
                )
            subjects.append(c.Subject(id=contact_id, **fields, events=person["events"]))
    return subjects


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    tree=trees, people=st.lists(contacts, min_size=1, max_size=6), trigger=st.dictionaries(st.just("total"), scalars)
)
def test_compiled_sql_agrees_with_the_python_evaluator(ctx: Any, tree: dict, people: list, trigger: dict) -> None:
    with ctx.db.session() as session:
        if not segments.list_segments(session):
            segments.create_segment(session, name="vip", condition=VIP, now=NOW)
    subjects = _store(ctx, people)
    parsed = c.parse_condition(tree)
    saved = {"vip": c.parse_condition(VIP)}
    expected = set()
    for subject in subjects:
        subject.event_properties = trigger
        if c.evaluate(parsed, subject, now=NOW, segments=saved):
            expected.add(subject.id)
    with ctx.db.session() as session:
        got = segments.matching_contact_ids(session, tree, now=NOW, event_properties=trigger)
    assert got == expected
