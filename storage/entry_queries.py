"""Audience reads for scheduled and date entries, in id order and chunks."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select

from storage.json_sql import JsonSql
from storage.models import Contact

CON = Contact.__table__


def audience_chunk(conn: Connection, *, segment: str | None, after: int, limit: int, now: datetime) -> list[int]:
    """The next contact ids after ``after``: everyone, or the members of a saved segment."""
    if segment:
        return _segment_chunk(conn, segment=segment, after=after, limit=limit, now=now)
    query = select(CON.c.id).where(CON.c.id > after).order_by(CON.c.id).limit(limit)
    return [row[0] for row in conn.execute(query)]


def _segment_chunk(conn: Connection, *, segment: str, after: int, limit: int, now: datetime) -> list[int]:
    try:
        from storage.segments import segment_member_query  # provided by the audience area
    except ImportError as exc:
        raise LookupError(f"segment {segment!r} cannot be resolved: segments are not available") from exc
    from sqlmodel import Session

    with Session(bind=conn) as session:
        members = segment_member_query(session, segment=segment, now=now)
    sub = members.subquery()
    id_column = sub.c[next(iter(sub.c.keys()))]
    query = select(id_column).where(id_column > after).order_by(id_column).limit(limit)
    return [row[0] for row in conn.execute(query)]


def date_attribute_chunk(conn: Connection, *, attribute: str, after: int, limit: int) -> list[tuple[int, Any, Any]]:
    """(contact id, attribute value, time zone) of contacts that have the attribute, after ``after``."""
    value = _attribute_text(conn, attribute)
    query = (
        select(CON.c.id, value, CON.c.time_zone)
        .where(CON.c.id > after, value.is_not(None))
        .order_by(CON.c.id)
        .limit(limit)
    )
    return [(row[0], row[1], row[2]) for row in conn.execute(query)]


def _attribute_text(conn: Connection, attribute: str) -> Any:
    """One attribute as text. On SQLite an unreadable attributes value (written straight into the database)
    reads as no attribute: JSON1 would otherwise raise "malformed JSON" and stop the entry for everyone."""
    return JsonSql(conn.dialect.name).key_text(CON.c.attributes, attribute)
