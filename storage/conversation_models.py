"""Conversations: two-way threads (SMS, in-app chat) between a contact and the bot, a journey or an agent.

Times are integer epoch seconds, like the engine's. A conversation is ``open`` while the bot or a journey
answers, ``handed_over`` once a person must take it (the inbox lists these), ``closed`` when done.
"""

from __future__ import annotations

from sqlalchemy import Index
from sqlmodel import Field, SQLModel

CONVERSATION_STATUSES = ("open", "handed_over", "closed")
DIRECTIONS = ("in", "out")
AUTHORS = ("bot", "agent", "contact", "journey")


class Conversation(SQLModel, table=True):
    __tablename__ = "conversation"
    __table_args__ = (
        Index("ix_conversation_contact_channel", "contact_id", "channel"),
        Index("ix_conversation_status_last", "status", "last_message_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    contact_id: int = Field(foreign_key="contact.id")
    channel: str = Field(max_length=16)  # sms | in_app
    status: str = Field(default="open", max_length=16)
    created_at: int = 0
    updated_at: int = 0
    last_message_at: int = 0


class ConversationMessage(SQLModel, table=True):
    """One turn; ``truncated`` marks a text cut at the size limit."""

    __tablename__ = "conversation_message"
    __table_args__ = (
        Index("ix_conversation_message_conv", "conversation_id", "id"),
        Index("ix_conversation_message_ref", "provider_ref"),
    )

    id: int | None = Field(default=None, primary_key=True)
    # No foreign key to conversation: GDPR erasure deletes every table with a contact_id in name order.
    conversation_id: int
    contact_id: int = Field(foreign_key="contact.id")
    direction: str = Field(max_length=3)  # in | out
    author: str = Field(max_length=10)  # bot | agent | contact | journey
    agent_user_id: int | None = Field(default=None)
    text: str = Field(default="")
    intent: str | None = Field(default=None, max_length=100)
    confidence: float | None = None
    created_at: int = 0
    provider_ref: str | None = Field(default=None, max_length=200)
    truncated: bool = Field(default=False)
