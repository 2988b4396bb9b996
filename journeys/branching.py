"""Conditions read against one contact in memory: attributes, the triggering event, platform, consent.

Conditions that need history or other tables (performed events, segments, geofences, first/last seen)
are answered by the storage layer before the step runs and passed in ``known``; without an answer they
do not match, so a branch never guesses.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from journeys.conditions import (
    AttributeCondition,
    ConsentCondition,
    EventPropertyCondition,
    Group,
    PlatformCondition,
    TimeZoneCondition,
    compare,
    date_matches,
)
from journeys.steps.types import ContactView

DATE_OPS = {"before", "after", "within_last_days", "within_next_days", "birthday_in_days"}


def evaluate(
    condition: Any,
    contact: ContactView,
    event: dict[str, Any],
    now: int,
    known: dict[int, bool] | None = None,
) -> bool:
    if isinstance(condition, Group):
        results = (evaluate(c, contact, event, now, known) for c in condition.conditions)
        if not condition.conditions:
            return True
        return all(results) if condition.match == "all" else any(results)
    if isinstance(condition, AttributeCondition):
        actual = contact.field(condition.attribute)
        if condition.op in DATE_OPS:
            today = datetime.fromtimestamp(now, UTC).date()
            return date_matches(actual, condition.op, condition.value, today)
        return compare(actual, condition.op, condition.value)
    if isinstance(condition, EventPropertyCondition):
        return compare(event.get(condition.property), condition.op, condition.value)
    if isinstance(condition, PlatformCondition):
        return compare(contact.platform, condition.op, condition.value)
    if isinstance(condition, TimeZoneCondition):
        return compare(contact.time_zone, condition.op, condition.value)
    if isinstance(condition, ConsentCondition):
        status = contact.consent.get(condition.channel)
        return (status == "subscribed") == (condition.status == "subscribed")
    return bool((known or {}).get(id(condition), False))
