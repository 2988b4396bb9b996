"""The FAQ bot's tables: the knowledge base (entries per language, a revision) and the log of its decisions."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import JSONType

OUTCOMES = ("answered", "handed_over")


class FaqEntry(SQLModel, table=True):
    """One intent of the knowledge base in one language: its example questions and its answer."""

    __tablename__ = "faq_entry"
    __table_args__ = (UniqueConstraint("lang", "intent", name="uq_faq_entry_lang_intent"),)

    id: int | None = Field(default=None, primary_key=True)
    lang: str = Field(max_length=8)
    intent: str = Field(max_length=64)
    questions: list[Any] = Field(default_factory=list, sa_column=Column(JSONType, nullable=False))
    answer: str = Field(default="")
    updated_at: int = 0
    updated_by: str = Field(default="", max_length=320)


class FaqRevision(SQLModel, table=True):
    """A single row counting changes to the knowledge base: the matcher refits when it moves."""

    __tablename__ = "faq_revision"

    id: int | None = Field(default=None, primary_key=True)
    revision: int = 0


class FaqOutcome(SQLModel, table=True):
    """What the bot did with one inbound question: answered (with the intent) or handed over (with why)."""

    __tablename__ = "faq_outcome"
    __table_args__ = (
        Index("ix_faq_outcome_at", "at"),
        Index("ix_faq_outcome_conversation", "conversation_id"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No foreign key to conversation (GDPR erasure deletes tables with a contact_id in name order).
    conversation_id: int
    contact_id: int = Field(foreign_key="contact.id")
    message_id: int | None = None
    at: int = 0
    outcome: str = Field(max_length=16)  # answered | handed_over
    reason: str = Field(default="", max_length=32)  # handed over: human | low_confidence
    intent: str | None = Field(default=None, max_length=64)
    confidence: float | None = None
