"""Audience tables: API keys, saved segments and segment membership; extra indexes on contact and event."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, Integer
from sqlmodel import Field, SQLModel

from storage.models import Contact, Event
from storage.types import JSONType, UTCDateTime


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class ApiKey(SQLModel, table=True):
    """An API credential; only a SHA-256 hash of it is stored, plus a display prefix.

    ``kind`` says which job it does: ``tracking`` (a write key shipped inside apps: tracking calls and the in-app
    inbox only) or ``management`` (a token for the management API, acting with ``role``: viewer or marketer).
    """

    __tablename__ = "api_key"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200)
    prefix: str = Field(max_length=16)
    key_hash: str = Field(max_length=64, unique=True)
    created_at: datetime = _utc()
    revoked_at: datetime | None = _utc(default=None)
    kind: str = Field(default="tracking", max_length=16, sa_column_kwargs={"server_default": "tracking"})
    role: str | None = Field(default=None, max_length=16)
    last_used_at: datetime | None = _utc(default=None)


class Segment(SQLModel, table=True):
    """A saved segment: a named condition tree (journeys.conditions)."""

    __tablename__ = "segment"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, unique=True)
    description: str = Field(default="")
    condition: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    # When membership was first recorded: members found by that first pass enter silently.
    baseline_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class SegmentMember(SQLModel, table=True):
    """Who matched a segment at its last evaluation, so a newly matching contact can be told apart."""

    __tablename__ = "segment_member"
    __table_args__ = (Index("ix_segment_member_contact", "contact_id"),)

    segment_id: int = Field(foreign_key="segment.id", primary_key=True, ondelete="CASCADE")
    contact_id: int = Field(foreign_key="contact.id", primary_key=True, ondelete="CASCADE")
    entered_at: datetime = _utc()


# An alias merge keeps the merged-away contact (other tables may point at it) and marks where it went.
# Added here so the shared model file stays untouched; segment queries and lookups skip merged contacts.
Contact.__table__.append_column(Column("merged_into_id", Integer, nullable=True))

# Bounding-box prefilter of geofences, and behavioural windows read per event name.
Index("ix_contact_lat_lon", Contact.__table__.c.lat, Contact.__table__.c.lon)
Index("ix_event_name_ts", Event.__table__.c.name, Event.__table__.c.timestamp)
