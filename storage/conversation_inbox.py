"""Queries of the people's inbox: conversations filtered by status and channel with their contact, the turns
of one conversation, and the first answer by a person after a hand-over."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select
from sqlmodel import Session

from storage.conversation_models import Conversation, ConversationMessage
from storage.models import Contact
from storage.trust_models import AppUser

CONVERSATIONS = Conversation.__table__
MESSAGES = ConversationMessage.__table__
CONTACTS = Contact.__table__
USERS = AppUser.__table__


def listing(session: Session, *, status: str | None, channel: str | None, limit: int = 200) -> list[dict[str, Any]]:
    """Conversations, the latest activity first, with who they are with and their last turn."""
    last_id = (
        select(func.max(MESSAGES.c.id))
        .where(MESSAGES.c.conversation_id == CONVERSATIONS.c.id)
        .correlate(CONVERSATIONS)
        .scalar_subquery()
    )
    query = (
        select(
            CONVERSATIONS,
            CONTACTS.c.external_id,
            CONTACTS.c.email,
            CONTACTS.c.phone,
            select(MESSAGES.c.text).where(MESSAGES.c.id == last_id).scalar_subquery().label("last_text"),
        )
        .join(CONTACTS, CONTACTS.c.id == CONVERSATIONS.c.contact_id)
        .order_by(CONVERSATIONS.c.last_message_at.desc(), CONVERSATIONS.c.id.desc())
        .limit(limit)
    )
    if status:
        query = query.where(CONVERSATIONS.c.status == status)
    if channel:
        query = query.where(CONVERSATIONS.c.channel == channel)
    return [dict(row._mapping) for row in session.execute(query)]


def with_contact(session: Session, conversation_id: int) -> dict[str, Any] | None:
    query = (
        select(CONVERSATIONS, CONTACTS.c.external_id, CONTACTS.c.email, CONTACTS.c.phone)
        .join(CONTACTS, CONTACTS.c.id == CONVERSATIONS.c.contact_id)
        .where(CONVERSATIONS.c.id == conversation_id)
    )
    row = session.execute(query).first()
    return None if row is None else dict(row._mapping)


def status_counts(session: Session) -> dict[str, int]:
    query = select(CONVERSATIONS.c.status, func.count()).group_by(CONVERSATIONS.c.status)
    return {str(status): int(count) for status, count in session.execute(query)}


def first_agent_answers(session: Session, conversation_ids: list[int]) -> list[tuple[int, int]]:
    """(conversation id, time) of every agent turn in these conversations, oldest first."""
    if not conversation_ids:
        return []
    query = (
        select(MESSAGES.c.conversation_id, MESSAGES.c.created_at)
        .where(MESSAGES.c.conversation_id.in_(conversation_ids), MESSAGES.c.author == "agent")
        .order_by(MESSAGES.c.created_at, MESSAGES.c.id)
    )
    return [(int(c), int(at)) for c, at in session.execute(query)]


def agent_names(session: Session, user_ids: list[int]) -> dict[int, str]:
    """Who answered: each account's display name, else its email."""
    if not user_ids:
        return {}
    query = select(USERS.c.id, USERS.c.display_name, USERS.c.email).where(USERS.c.id.in_(user_ids))
    return {int(uid): (name or email) for uid, name, email in session.execute(query)}
