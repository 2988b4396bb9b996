"""Branch conditions read against one contact: the shared evaluator of journeys.conditions, fed from the
engine's in-memory contact, the triggering event and (when a tree needs them) saved segments and events.

A tree that refers to a missing segment, or loops through segments, does not match: a branch never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from journeys import conditions as c

if TYPE_CHECKING:
    from journeys.steps.types import ContactView

# Condition kinds that need more than the contact row and the event: events history or saved segments.
HISTORY_KINDS = {"performed", "segment"}


def needs_history(condition: Any) -> bool:
    return any(getattr(node, "kind", "") in HISTORY_KINDS for node in c.walk(condition))


def _moment(value: Any) -> datetime | None:
    """A stored time (UTC text from SQLite, or a datetime) as an aware datetime."""
    if value is None or isinstance(value, datetime):
        return value if value is None or value.tzinfo else value.replace(tzinfo=UTC)
    return datetime.fromisoformat(str(value)).replace(tzinfo=UTC)


def subject(contact: ContactView, event: Mapping[str, Any], events: Sequence[Any] = ()) -> c.Subject:
    """Everything a condition may read about the contact (same fields as the segment SQL), plus the event."""
    return c.Subject(
        id=contact.id,
        external_id=contact.external_id,
        email=contact.email,
        phone=contact.phone,
        push_id=contact.push_id,
        time_zone=contact.time_zone,
        locale=contact.locale,
        platform=contact.platform,
        device=contact.device,
        attributes=contact.attributes,
        consent=contact.consent,
        lat=contact.lat,
        lon=contact.lon,
        first_seen_at=_moment(contact.first_seen_at),
        last_seen_at=_moment(contact.last_seen_at),
        event_properties=event,
        events=events,
    )


def evaluate(
    condition: Any,
    contact: ContactView,
    event: Mapping[str, Any],
    now: int,
    *,
    segments: Mapping[str, Any] | None = None,
    events: Sequence[Any] = (),
) -> bool:
    try:
        return c.evaluate(
            condition, subject(contact, event, events), now=datetime.fromtimestamp(now, UTC), segments=segments or {}
        )
    except (c.UnknownSegment, c.SegmentCycle):
        return False
