"""Engagement profiles for sending at each contact's best time (journeys/send_time.py)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from storage.types import JSONType


class SendTimeProfile(SQLModel, table=True):
    """A contact's engagements (opens, clicks, app sessions) by local hour of the week, sparse: {"hour": count}."""

    __tablename__ = "send_time_profile"

    contact_id: int = Field(primary_key=True, foreign_key="contact.id")
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    total: int = 0
    updated_at: int = 0


class SendTimeWorkspace(SQLModel, table=True):
    """The sum of every contact's profile (one row, id 1): the prior a contact with little history borrows."""

    __tablename__ = "send_time_workspace"

    id: int = Field(default=1, primary_key=True)
    counts: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSONType, nullable=False))
    total: int = 0
    updated_at: int = 0
