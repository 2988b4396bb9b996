"""Engine tables: enrollments, the outbox, step counters, in-app messages, durable cursors and the leases that
share work between workers.

Hot columns hold integer epoch seconds (``*_at``) rather than datetimes: the engine compares and writes
them millions of times, and integers need no conversion on the way in or out.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import JSONType


class Enrollment(SQLModel, table=True):
    """One contact's run through one journey, pinned to the version it entered with."""

    __tablename__ = "enrollment"
    __table_args__ = (
        UniqueConstraint("journey_id", "contact_id", "entry_no", name="uq_enrollment_entry"),
        Index("ix_enrollment_due", "status", "due_at"),
        Index("ix_enrollment_contact", "contact_id", "status"),
        # Covers "active contacts per journey" (dashboards): an index-only count, no row lookups.
        Index("ix_enrollment_status_journey", "status", "journey_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    journey_id: int
    version_id: int
    contact_id: int
    # 1 for the first run of this contact in this journey, 2 for a re-entry...; part of message ids.
    entry_no: int = 1
    node_id: str = Field(max_length=80)
    # active | done | exited | failed
    status: str = Field(default="active", max_length=12)
    # 0: the node has not run yet; 1: the node started a wait and resumes when due or woken.
    phase: int = 0
    due_at: int = 0
    wait_event: str | None = Field(default=None, max_length=200)
    # Port chosen by an event that woke a wait ("event"); empty while nothing happened.
    resume_port: str | None = Field(default=None, max_length=80)
    context: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    entered_at: int = 0
    updated_at: int = 0
    # "holdout" (the journey's) or "control_group" (the workspace's): gets no messages, still measured.
    held_out: str = Field(default="", max_length=16)


class OutboxMessage(SQLModel, table=True):
    """A message the engine decided to send, written in the same transaction as that decision."""

    __tablename__ = "outbox"
    __table_args__ = (
        Index("ix_outbox_pending", "status", "next_attempt_at"),
        Index("ix_outbox_contact_channel", "contact_id", "channel", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # Deterministic: journey, contact, entry number and node; a retried step produces the same id.
    message_id: str = Field(max_length=200, unique=True)
    journey_id: int
    version_id: int
    node_id: str = Field(max_length=80)
    variant: str = Field(default="", max_length=40)
    contact_id: int
    channel: str = Field(max_length=16)
    transactional: bool = False
    payload: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    # pending | sent | failed | sandbox
    status: str = Field(default="pending", max_length=12)
    provider: str | None = Field(default=None, max_length=20)
    attempts: int = 0
    next_attempt_at: int = 0
    # Messages sent in one provider request share a batch key, fixed before the request leaves.
    batch_key: str | None = Field(default=None, max_length=200, index=True)
    provider_ref: str | None = Field(default=None, max_length=200)
    last_error: str | None = Field(default=None, max_length=500)
    created_at: int = 0
    sent_at: int | None = None


class StepCount(SQLModel, table=True):
    """Exact step-log counters, bumped in the transaction that made the step."""

    __tablename__ = "step_count"

    journey_id: int = Field(primary_key=True)
    version_id: int = Field(primary_key=True)
    node_id: str = Field(primary_key=True, max_length=80)
    variant: str = Field(primary_key=True, default="", max_length=40)
    outcome: str = Field(primary_key=True, max_length=20)
    reason: str = Field(primary_key=True, default="", max_length=60)
    count: int = 0


class InAppMessage(SQLModel, table=True):
    __tablename__ = "in_app_message"
    __table_args__ = (Index("ix_in_app_contact", "contact_id", "created_at"),)

    id: int | None = Field(default=None, primary_key=True)
    message_id: str = Field(max_length=200, unique=True)
    contact_id: int
    journey_id: int
    content: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    created_at: int = 0
    expires_at: int = 0
    read_at: int | None = None


class EngineCursor(SQLModel, table=True):
    """Durable positions: the last event id consumed, the last run of a schedule or date entry."""

    __tablename__ = "engine_cursor"

    name: str = Field(primary_key=True, max_length=200)
    position: int = 0


class EnginePartition(SQLModel, table=True):
    """A share of the contacts (storage/partitions.py): its event cursor and the worker leasing it."""

    __tablename__ = "engine_partition"

    part: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    position: int = Field(default=0, sa_type=BigInteger)
    owner: str | None = Field(default=None, max_length=200)
    lease_until: int = Field(default=0, sa_type=BigInteger)


class EngineWorker(SQLModel, table=True):
    """A running worker process and when it was last seen (its heartbeat)."""

    __tablename__ = "engine_worker"

    id: str = Field(primary_key=True, max_length=200)
    started_at: int = Field(default=0, sa_type=BigInteger)
    seen_at: int = Field(default=0, sa_type=BigInteger)


class JobLease(SQLModel, table=True):
    """A once-per-period job and the worker that runs it for the current period."""

    __tablename__ = "job_lease"

    name: str = Field(primary_key=True, max_length=120)
    owner: str = Field(max_length=200)
    lease_until: int = Field(default=0, sa_type=BigInteger)
