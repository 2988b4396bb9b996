"""Segment membership: who newly matches a saved segment becomes a ``segment.entered`` event.

The first pass over a segment records its members silently (they did not *newly* join). Later passes
insert, for each contact that matches now and was not a member, a membership row and a synthetic event
``segment.entered`` with ``{"segment": name}``; contacts that stopped matching lose their membership, so
they can enter again later. All of it is set-based SQL in the caller's transaction.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache

from sqlalchemy import delete, insert, select, update
from sqlmodel import Session

from journeys import conditions as c
from journeys.condition_inputs import affected
from storage.audience_models import Segment, SegmentMember
from storage.models import Event
from storage.segments import ID_CHUNK, SEGMENT_ENTERED, id_filters, matching_contact_ids

SEGMENTS = Segment.__table__
MEMBERS = SegmentMember.__table__
EVENTS = Event.__table__


@dataclass
class Refresh:
    """What a refresh changed: newly entered contact ids and the count of those who left, per segment."""

    entered: dict[str, list[int]] = field(default_factory=dict)
    left: dict[str, int] = field(default_factory=dict)

    @property
    def entered_count(self) -> int:
        return sum(len(ids) for ids in self.entered.values())


def _current_members(session: Session, segment_id: int, contact_ids: list[int] | None) -> set[int]:
    query = select(MEMBERS.c.contact_id).where(MEMBERS.c.segment_id == segment_id)
    if contact_ids is None:
        return set(session.execute(query).scalars())
    found: set[int] = set()
    for restriction in id_filters(session, MEMBERS.c.contact_id, contact_ids):
        found.update(session.execute(query.where(restriction)).scalars())
    return found


def _segments_to_refresh(
    session: Session, *, time_based_only: bool, scoped: bool, names: set[str] | None
) -> list[tuple[int, str, dict, datetime | None]]:
    query = select(SEGMENTS.c.id, SEGMENTS.c.name, SEGMENTS.c.condition, SEGMENTS.c.baseline_at)
    if names is not None:
        query = query.where(SEGMENTS.c.name.in_(sorted(names)))
    out = []
    for seg_id, name, tree, baseline in session.execute(query):
        if baseline is None and scoped:
            continue  # a first pass covers everyone: saving the segment or the periodic job does it, not ingestion
        if time_based_only and not is_time_based(_parsed(tree)) and baseline is not None:
            continue
        out.append((seg_id, name, tree, baseline))
    return out


@lru_cache(maxsize=1_024)
def _parse_text(text: str) -> c.Condition:
    return c.parse_condition(json.loads(text))


def _parsed(tree: dict) -> c.Condition:
    """A stored tree as a condition, parsed once per distinct tree (ingestion asks every batch)."""
    return _parse_text(json.dumps(tree, sort_keys=True))


def is_time_based(tree: c.Condition) -> bool:
    """Whether membership can change with time alone (windows, relative dates), not only with new data."""
    for node in c.walk(tree):
        if isinstance(node, c.PerformedCondition) and node.within is not None:
            return True
        if isinstance(node, c.SeenCondition) and node.op != "before" and node.op != "after":
            return True
        if isinstance(node, c.AttributeCondition) and node.op in {
            "within_last_days",
            "within_next_days",
            "birthday_in_days",
        }:
            return True
        if isinstance(node, c.SegmentCondition):
            return True  # the referenced segment may be time based; cheap enough to re-check
    return False


def refresh_memberships(
    session: Session,
    *,
    now: datetime,
    contact_ids: Iterable[int] | None = None,
    time_based_only: bool = False,
    names: set[str] | None = None,
    changed: Iterable[str] | None = None,
    created: Iterable[int] = (),
) -> Refresh:
    """Bring membership up to date and emit ``segment.entered``.

    With ``contact_ids``, only those contacts are looked at, and segments still waiting for their first pass
    are left out; ``names`` limits the pass to those segments. ``changed`` (see journeys/condition_inputs.py)
    says what data of those contacts changed: a segment reading none of it is only checked for the contacts
    in ``created``, which are new to every segment.
    """
    ids = None if contact_ids is None else sorted(set(contact_ids))
    changed = None if changed is None else set(changed)
    new_ids = sorted(set(created))
    result = Refresh()
    segments = _segments_to_refresh(session, time_based_only=time_based_only, scoped=ids is not None, names=names)
    for seg_id, name, tree, baseline in segments:
        scope = ids if baseline is not None else None  # a segment's first pass covers everyone
        if scope is not None and changed is not None and not affected(_parsed(tree), changed):
            in_scope = set(scope)
            scope = [cid for cid in new_ids if cid in in_scope]
            if not scope:
                continue
        matching = matching_contact_ids(session, tree, now=now, contact_ids=scope)
        members = _current_members(session, seg_id, scope)
        entered, left = sorted(matching - members), sorted(members - matching)
        if entered:
            session.execute(
                insert(MEMBERS), [{"segment_id": seg_id, "contact_id": cid, "entered_at": now} for cid in entered]
            )
        for start in range(0, len(left), ID_CHUNK):
            chunk = left[start : start + ID_CHUNK]
            session.execute(delete(MEMBERS).where(MEMBERS.c.segment_id == seg_id, MEMBERS.c.contact_id.in_(chunk)))
        if baseline is None:  # the first pass only records who is in
            session.execute(update(SEGMENTS).where(SEGMENTS.c.id == seg_id).values(baseline_at=now))
            continue
        if entered:
            _insert_entered_events(session, name=name, segment_id=seg_id, contact_ids=entered, now=now)
            result.entered[name] = entered
        if left:
            result.left[name] = len(left)
    return result


def _insert_entered_events(
    session: Session, *, name: str, segment_id: int, contact_ids: list[int], now: datetime
) -> None:
    stamp = now.isoformat()
    session.execute(
        insert(EVENTS),
        [
            {
                "contact_id": cid,
                "name": SEGMENT_ENTERED,
                "properties": {"segment": name},
                "timestamp": now,
                "received_at": now,
                "message_id": f"segment-entered:{segment_id}:{cid}:{stamp}",
            }
            for cid in contact_ids
        ],
    )
