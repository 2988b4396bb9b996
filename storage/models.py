"""SQLModel tables. Schema changes go through an Alembic migration (see storage/migrations)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import JSONType, UTCDateTime

JOURNEY_STATUSES = ("draft", "live", "paused", "archived")


def _utc(**kwargs: Any) -> Any:
    return Field(sa_type=UTCDateTime, **kwargs)


class Journey(SQLModel, table=True):
    __tablename__ = "journey"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=200, index=True)
    # Stable key for journeys kept as code (``journey apply``); unique in the workspace, None until given one.
    key: str | None = Field(default=None, max_length=64, unique=True)
    description: str = Field(default="")
    status: str = Field(default="draft", max_length=16, index=True)
    draft: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    # Bumped on every draft save: a writer holding an older revision is refused instead of overwriting.
    revision: int = Field(default=1)
    live_version_id: int | None = Field(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class JourneyVersion(SQLModel, table=True):
    """An immutable published document. Enrollments pin the version they entered with."""

    __tablename__ = "journey_version"
    __table_args__ = (UniqueConstraint("journey_id", "version", name="uq_journey_version"),)

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int = Field(foreign_key="journey.id", index=True)
    version: int
    document: dict[str, Any] = Field(sa_column=Column(JSONType, nullable=False))
    published_at: datetime = _utc()
    published_by: str | None = Field(default=None, max_length=200)


class Contact(SQLModel, table=True):
    __tablename__ = "contact"

    id: int | None = Field(default=None, primary_key=True)
    external_id: str | None = Field(default=None, max_length=200, unique=True)
    anonymous_id: str | None = Field(default=None, max_length=200, index=True)
    email: str | None = Field(default=None, max_length=320, index=True)
    phone: str | None = Field(default=None, max_length=32, index=True)
    push_id: str | None = Field(default=None, max_length=200)
    time_zone: str | None = Field(default=None, max_length=64)
    locale: str | None = Field(default=None, max_length=35)
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    # channel -> "subscribed" | "unsubscribed"; the full consent history lives in its own table.
    consent: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    platform: str | None = Field(default=None, max_length=40)
    device: str | None = Field(default=None, max_length=200)
    lat: float | None = None
    lon: float | None = None
    first_seen_at: datetime | None = _utc(default=None)
    last_seen_at: datetime | None = _utc(default=None)
    created_at: datetime = _utc()
    updated_at: datetime = _utc()


class Event(SQLModel, table=True):
    __tablename__ = "event"
    __table_args__ = (Index("ix_event_contact_name_ts", "contact_id", "name", "timestamp"),)

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    name: str = Field(max_length=200)  # searched through ix_event_name_ts (storage/audience_models.py)
    properties: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    timestamp: datetime = _utc()
    # Segment's messageId: a retried delivery of the same event is stored once.
    message_id: str | None = Field(default=None, max_length=200, unique=True)
    received_at: datetime = _utc()


class WorkspaceSetting(SQLModel, table=True):
    """Workspace configuration edited in the UI (delivery policy, providers...), one JSON value per key."""

    __tablename__ = "workspace_setting"

    key: str = Field(primary_key=True, max_length=100)
    value: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    updated_at: datetime = _utc()
