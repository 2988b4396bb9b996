"""The segment builder's model: condition rows as plain dicts, text inputs turned into typed values.

Pure functions, so the page stays thin and the conversions are tested without a browser.
"""

from __future__ import annotations

from typing import Any

KINDS = ["attribute", "performed", "last_seen", "first_seen", "platform", "time_zone", "geofence", "consent", "segment"]
ATTRIBUTE_OPS = [
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
    "before",
    "after",
    "within_last_days",
    "within_next_days",
    "birthday_in_days",
]
SEEN_OPS = ["within_last_days", "not_within_last_days", "before", "after"]
CHOICE_OPS = ["eq", "neq", "in", "not_in"]
UNITS = ["minutes", "hours", "days", "weeks"]
CHANNELS = ["push", "sms", "email", "in_app"]
PLATFORMS = ["ios", "android", "web"]
NO_VALUE = {"exists", "not_exists"}
LIST_OPS = {"in", "not_in"}


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
        "group": {"kind": "group", "match": "all", "conditions": []},
    }
    return dict(defaults[kind])


def parse_scalar(text: str) -> Any:
    """``true``/``false`` → bool, numbers → int/float, anything else stays text."""
    text = text.strip()
    if text in {"true", "false"}:
        return text == "true"
    try:
        return int(text)
    except ValueError:
        pass
    try:
        return float(text.replace(",", ".")) if text.replace(",", ".").count(".") <= 1 else text
    except ValueError:
        return text


def parse_value(text: str, op: str) -> Any:
    """The typed value of a condition from what was typed, for ``op``."""
    if op in NO_VALUE:
        return None
    if op in LIST_OPS:
        return [parse_scalar(part) for part in text.split(",") if part.strip()]
    return parse_scalar(text)


def show_value(value: Any) -> str:
    """The text an input shows for a typed value (the inverse of parse_value)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return ", ".join(show_value(item) for item in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


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
