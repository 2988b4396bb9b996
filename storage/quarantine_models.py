"""The dead-letter table: rows the engine or the dispatcher could not process, parked with their reason."""

from __future__ import annotations

from sqlalchemy import Index, UniqueConstraint
from sqlmodel import Field, SQLModel


class QuarantinedRow(SQLModel, table=True):
    """One parked event, enrollment or outbox message. The row itself stays where it is (enrollments and
    outbox messages get the status ``quarantined``); this entry says why and lets an admin retry or discard it."""

    __tablename__ = "quarantine"
    __table_args__ = (
        UniqueConstraint("kind", "row_id", name="uq_quarantine_row"),
        Index("ix_quarantine_created", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # event | enrollment | outbox
    kind: str = Field(max_length=12)
    row_id: int
    journey_id: int | None = None
    contact_id: int | None = None
    # Exception type and first line of its message; never SQL parameters or row content.
    reason: str = Field(max_length=300)
    created_at: int = 0
