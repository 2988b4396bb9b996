"""Saved segments: CRUD, live counts and samples, matching contacts in SQL, and membership changes.

Every query is one parameterised statement built by storage.segment_sql; nothing loops over contacts.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime
from typing import Any

from sqlalchemy import Select, delete, func, select
from sqlmodel import Session
from sqlmodel import select as sm_select

from journeys import conditions as c
from journeys.conditions import SegmentCycle, UnknownSegment
from journeys.errors import ConflictError
from storage.audience_models import Segment, SegmentMember
from storage.segment_sql import CONTACT, compile_condition

__all__ = [
    "DuplicateSegment",
    "create_segment",
    "delete_segment",
    "get_segment",
    "list_segments",
    "update_segment",
    "SegmentCycle",
    "UnknownSegment",
    "count_segment",
    "matching_contact_ids",
    "sample_segment",
    "segment_member_query",
]

ID_CHUNK = 5_000
SEGMENT_ENTERED = "segment.entered"
SEGMENTS = Segment.__table__
MEMBERS = SegmentMember.__table__


class DuplicateSegment(ConflictError, ValueError):
    def __init__(self, name: str) -> None:
        super().__init__(f"a segment named {name!r} already exists")
        self.name = name


def saved_conditions(session: Session) -> dict[str, c.Condition]:
    """Every saved segment's tree by name (segment conditions refer to them)."""
    rows = session.execute(select(SEGMENTS.c.name, SEGMENTS.c.condition)).all()
    return {name: c.parse_condition(tree) for name, tree in rows}


def contact_query(
    session: Session,
    condition: Any,
    *,
    now: datetime,
    event_properties: Mapping[str, Any] | None = None,
    stack: tuple[str, ...] = (),
) -> Select[Any]:
    """A select of ``contact.id`` for the contacts matching ``condition`` (a tree or its JSON form)."""
    tree = c.parse_condition(condition)
    segments = saved_conditions(session) if _refers_to_segments(tree) else {}
    dialect = session.get_bind().dialect.name
    where = compile_condition(
        tree, now=now, segments=segments, event_properties=event_properties, stack=stack, dialect=dialect
    )
    return select(CONTACT.c.id).where(CONTACT.c.merged_into_id.is_(None), where)


def _refers_to_segments(tree: c.Condition) -> bool:
    return any(isinstance(node, c.SegmentCondition) for node in c.walk(tree))


def matching_contact_ids(
    session: Session,
    condition: Any,
    *,
    now: datetime,
    contact_ids: Iterable[int] | None = None,
    event_properties: Mapping[str, Any] | None = None,
) -> set[int]:
    """Ids of contacts matching ``condition`` at ``now``, restricted to ``contact_ids`` when given.

    ``event_property`` leaves are evaluated against ``event_properties`` (the triggering event's).
    """
    query = contact_query(session, condition, now=now, event_properties=event_properties)
    if contact_ids is None:
        return set(session.execute(query).scalars())
    found: set[int] = set()
    for restriction in id_filters(session, CONTACT.c.id, contact_ids):
        found.update(session.execute(query.where(restriction)).scalars())
    return found


def id_filters(session: Session, column: Any, ids: Iterable[int]) -> list[Any]:
    """Conditions ``column IN ids``: on SQLite one, reading a single JSON parameter with ``json_each``.

    Ingestion restricts segment queries to the few hundred contacts of a batch; an expanding IN list was
    re-rendered for every call and cost more than the query. Other databases get chunked IN lists.
    """
    wanted = sorted(set(ids))
    if not wanted:
        return []
    if session.get_bind().dialect.name == "sqlite":
        values = func.json_each(json.dumps(wanted)).table_valued("value")
        return [column.in_(select(values.c.value))]
    return [column.in_(wanted[i : i + ID_CHUNK]) for i in range(0, len(wanted), ID_CHUNK)]


def get_segment(session: Session, *, name: str) -> Segment:
    row = session.exec(sm_select(Segment).where(Segment.name == name)).first()
    if row is None:
        raise UnknownSegment(name)
    return row


def segment_member_query(session: Session, *, segment: str, now: datetime) -> Select[Any]:
    """A select of ``contact.id`` for the members of the saved segment named ``segment``."""
    saved = get_segment(session, name=segment)
    return contact_query(session, saved.condition, now=now, stack=(segment,))


def count_segment(session: Session, *, condition: Any, now: datetime) -> int:
    """The live count of a tree (use ``{"kind": "segment", "segment": NAME}`` for a saved one)."""
    query = contact_query(session, condition, now=now)
    return int(session.execute(select(func.count()).select_from(query.subquery())).scalar_one())


def sample_segment(session: Session, *, condition: Any, now: datetime, limit: int = 10) -> list[dict[str, Any]]:
    """A few matching contacts (most recently seen first) for previews."""
    ids = contact_query(session, condition, now=now).subquery()
    columns = [CONTACT.c[name] for name in ("id", "external_id", "email", "phone", "platform", "last_seen_at")]
    query = (
        select(*columns)
        .where(CONTACT.c.id.in_(select(ids.c.id)))
        .order_by(CONTACT.c.last_seen_at.desc().nulls_last(), CONTACT.c.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def validate_segment(session: Session, *, name: str, condition: Any, now: datetime) -> c.Condition:
    """Parse a tree and check it compiles (no unknown segment, no loop through ``name``)."""
    tree = c.parse_condition(condition)
    if any(isinstance(node, c.EventPropertyCondition) for node in c.walk(tree)):
        raise ValueError("a saved segment cannot test the triggering event's properties")
    segments = saved_conditions(session)
    segments[name] = tree
    compile_condition(tree, now=now, segments=segments, stack=(name,))
    return tree


def create_segment(session: Session, *, name: str, condition: Any, now: datetime, description: str = "") -> Segment:
    name = name.strip()
    if not name:
        raise ValueError("a segment needs a name")
    if session.execute(select(SEGMENTS.c.id).where(SEGMENTS.c.name == name)).first():
        raise DuplicateSegment(name)
    tree = validate_segment(session, name=name, condition=condition, now=now)
    row = Segment(
        name=name, description=description, condition=tree.model_dump(mode="json"), created_at=now, updated_at=now
    )
    session.add(row)
    session.flush()
    return row


def update_segment(
    session: Session, *, name: str, condition: Any, now: datetime, description: str | None = None
) -> Segment:
    row = get_segment(session, name=name)
    tree = validate_segment(session, name=name, condition=condition, now=now)
    row.condition = tree.model_dump(mode="json")
    # A new definition starts a new baseline: its current members enter silently on the next pass.
    row.baseline_at = None
    session.execute(delete(MEMBERS).where(MEMBERS.c.segment_id == row.id))
    if description is not None:
        row.description = description
    row.updated_at = now
    session.add(row)
    session.flush()
    return row


def delete_segment(session: Session, *, name: str) -> None:
    row = get_segment(session, name=name)
    session.execute(delete(MEMBERS).where(MEMBERS.c.segment_id == row.id))
    session.execute(delete(SEGMENTS).where(SEGMENTS.c.id == row.id))


def list_segments(session: Session) -> list[Segment]:
    return list(session.exec(sm_select(Segment).order_by(Segment.name)).all())
