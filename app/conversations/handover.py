"""Conversations handed to a person by a journey: a reply that matched no answer of a wait-for-reply step set
to hand over (``handover_on_no_match``) puts the contact's open conversations in the inbox."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from sqlalchemy import Connection

from journeys.replies import NO_MATCH
from storage import conversations as store

StepRow = tuple[int, int, int, int, str, str, str, str]


def unmatched_replies(
    conn: Connection, steps: Iterable[StepRow], configs: Callable[[int], dict[str, Any]], now: int
) -> int:
    """Hand over the conversations of contacts whose reply took ``no_match`` at such a step; returns how many
    contacts. Runs in the engine's transaction."""
    contact_ids = {
        contact_id
        for _j, version_id, contact_id, _n, node_id, _v, outcome, reason in steps
        if outcome == "replied"
        and reason == NO_MATCH
        and getattr(configs(version_id).get(node_id), "handover_on_no_match", False)
    }
    if contact_ids:
        store.hand_over_open(conn, contact_ids=sorted(contact_ids), now=now)
    return len(contact_ids)
