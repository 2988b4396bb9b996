"""Branch conditions read against one contact: the shared evaluator of journeys.conditions, fed from the
engine's in-memory contact, the triggering event and (when a tree needs them) saved segments and events.

A tree that refers to a missing segment, or loops through segments, does not match: a branch never guesses.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from journeys import conditions as c
from journeys import predictions

if TYPE_CHECKING:
    from journeys.steps.types import ContactView

# Condition kinds that need more than the contact row and the event: events history or saved segments.
HISTORY_KINDS = {"performed", "segment"}


def needs_history(condition: Any) -> bool:
    return any(getattr(node, "kind", "") in HISTORY_KINDS for node in c.walk(condition))


def subject(contact: ContactView, event: Mapping[str, Any], events: Sequence[Any] = ()) -> c.Subject:
    """The contact with the event that triggered the evaluation (and its history, when a tree needs it)."""
    return replace(contact, event_properties=event, events=events)


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


def missing_predictions(condition: Any, contact: ContactView) -> str:
    """``model_missing`` when the tree reads a goal's prediction the contact has none of (no model yet, or not
    scored yet): the condition simply does not match, and the step is counted as a ``fallback`` with that reason."""
    unread = predictions.goals_read(condition) - set(contact.predicted)
    return predictions.MODEL_MISSING if unread else ""


def needs_predictions(condition: Any) -> bool:
    return bool(predictions.goals_read(condition))
