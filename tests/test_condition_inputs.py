"""What a condition tree reads, and when a change can affect it."""

from __future__ import annotations

import pytest

from journeys import conditions as c
from journeys.condition_inputs import ANYTHING, affected, inputs


def tree(*leaves: dict) -> c.Condition:
    return c.parse_condition({"kind": "group", "match": "any", "conditions": list(leaves)})


@pytest.mark.parametrize(
    ("leaf", "reads"),
    [
        ({"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}, {"attributes"}),
        ({"kind": "attribute", "attribute": "email", "op": "exists"}, {"email"}),
        ({"kind": "performed", "event": "purchase", "op": "at_least", "count": 1}, {"events"}),
        ({"kind": "last_seen", "op": "within_last_days", "value": 3}, {"last_seen_at"}),
        ({"kind": "first_seen", "op": "before", "value": "2026-01-01"}, {"first_seen_at"}),
        ({"kind": "platform", "op": "in", "value": ["ios"]}, {"platform"}),
        ({"kind": "time_zone", "op": "in", "value": ["Europe/Paris"]}, {"time_zone"}),
        ({"kind": "geofence", "lat": 48.8, "lon": 2.3, "radius_m": 100}, {"lat", "lon"}),
        ({"kind": "consent", "channel": "sms"}, {"consent"}),
        ({"kind": "segment", "segment": "Gold"}, {ANYTHING}),
    ],
)
def test_each_leaf_names_what_it_reads(leaf: dict, reads: set[str]) -> None:
    assert inputs(tree(leaf)) == reads


def test_a_group_reads_what_its_leaves_read() -> None:
    both = tree(
        {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"},
        {"kind": "group", "match": "all", "conditions": [{"kind": "consent", "channel": "push"}]},
    )
    assert inputs(both) == {"attributes", "consent"}


def test_affected_only_by_what_it_reads() -> None:
    plan = tree({"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"})
    assert not affected(plan, {"events", "last_seen_at", "platform"})  # a track batch
    assert affected(plan, {"attributes"})
    assert affected(plan, {ANYTHING})
    assert affected(tree({"kind": "segment", "segment": "Gold"}), {"events"})
