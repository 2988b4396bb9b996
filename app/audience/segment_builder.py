"""The segment builder's model: condition rows as plain dicts, text inputs turned into typed values.

Pure functions, so the page stays thin and the conversions are tested without a browser.
"""

from __future__ import annotations

from typing import Any, get_args

from journeys.conditions import DateOp, PlatformCondition, SeenCondition, ValueOp
from journeys.durations import Unit

KINDS = [
    "attribute",
    "performed",
    "last_seen",
    "first_seen",
    "platform",
    "time_zone",
    "geofence",
    "consent",
    "segment",
    "predicted",
]
# Operator lists come from the condition model itself, so the builder can never offer one the engine lacks.
ATTRIBUTE_OPS = [*get_args(ValueOp), *get_args(DateOp)]
SEEN_OPS = list(get_args(SeenCondition.model_fields["op"].annotation))
CHOICE_OPS = list(get_args(PlatformCondition.model_fields["op"].annotation))
UNITS = list(get_args(Unit))
CHANNELS = ["push", "sms", "email", "in_app"]
PLATFORMS = ["ios", "android", "web"]
# The name of each choice in the catalogs (a test checks every kind, operator and unit above has one).
KIND_KEYS = {
    "attribute": "segments.kind.attribute",
    "performed": "segments.kind.performed",
    "last_seen": "segments.kind.last_seen",
    "first_seen": "segments.kind.first_seen",
    "platform": "segments.kind.platform",
    "time_zone": "segments.kind.time_zone",
    "geofence": "segments.kind.geofence",
    "consent": "segments.kind.consent",
    "segment": "segments.kind.segment",
    "predicted": "segments.kind.predicted",
}
OP_KEYS = {
    "eq": "segments.op.eq",
    "neq": "segments.op.neq",
    "contains": "segments.op.contains",
    "not_contains": "segments.op.not_contains",
    "in": "segments.op.in",
    "not_in": "segments.op.not_in",
    "gt": "segments.op.gt",
    "gte": "segments.op.gte",
    "lt": "segments.op.lt",
    "lte": "segments.op.lte",
    "exists": "segments.op.exists",
    "not_exists": "segments.op.not_exists",
    "before": "segments.op.before",
    "after": "segments.op.after",
    "within_last_days": "segments.op.within_last_days",
    "not_within_last_days": "segments.op.not_within_last_days",
    "within_next_days": "segments.op.within_next_days",
    "birthday_in_days": "segments.op.birthday_in_days",
    "at_least": "segments.op.at_least",
    "at_most": "segments.op.at_most",
}
UNIT_KEYS = {
    "minutes": "segments.unit.minutes",
    "hours": "segments.unit.hours",
    "days": "segments.unit.days",
    "weeks": "segments.unit.weeks",
}
MATCH_KEYS = {"all": "segments.match.all", "any": "segments.match.any"}
STATUS_KEYS = {"subscribed": "segments.status.subscribed", "unsubscribed": "segments.status.unsubscribed"}


def default_leaf(kind: str, segments: list[str] | None = None) -> dict[str, Any]:
    """A new condition row of ``kind`` with sensible defaults."""
    defaults: dict[str, dict[str, Any]] = {
        "attribute": {"kind": "attribute", "attribute": "", "op": "eq", "value": ""},
        "performed": {"kind": "performed", "event": "", "op": "at_least", "count": 1, "within": None, "filters": []},
        "last_seen": {"kind": "last_seen", "op": "within_last_days", "value": 30},
        "first_seen": {"kind": "first_seen", "op": "within_last_days", "value": 7},
        "platform": {"kind": "platform", "op": "eq", "value": "ios"},
        "time_zone": {"kind": "time_zone", "op": "eq", "value": "Europe/Paris"},
        "geofence": {"kind": "geofence", "lat": 48.8566, "lon": 2.3522, "radius_m": 1000.0},
        "consent": {"kind": "consent", "channel": "push", "status": "subscribed"},
        "segment": {"kind": "segment", "segment": (segments or [""])[0] if segments else "", "negate": False},
        "predicted": {"kind": "predicted", "goal": "order_completed", "measure": "band", "op": "eq", "value": "high"},
        "group": {"kind": "group", "match": "all", "conditions": []},
    }
    return dict(defaults[kind])


def prune(tree: dict[str, Any]) -> dict[str, Any]:
    """The tree without incomplete rows (an attribute or event still unnamed), ready to validate."""
    if tree.get("kind") != "group":
        return tree
    kept = []
    for child in tree.get("conditions", []):
        if child.get("kind") == "attribute" and not str(child.get("attribute", "")).strip():
            continue
        if child.get("kind") == "performed" and not str(child.get("event", "")).strip():
            continue
        if child.get("kind") == "segment" and not child.get("segment"):
            continue
        kept.append(prune(child))
    return {**tree, "conditions": kept}
