"""Queries of conversations: find or open a thread, append turns, read them since a cursor, count replies."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, case, func, insert, literal, select, update
from sqlmodel import Session

from journeys.metrics import DAY
from storage.conversation_models import Conversation, ConversationMessage
from storage.engine_models import Enrollment, OutboxMessage
from storage.funnel_models import MetricBucket

CONVERSATIONS = Conversation.__table__
MESSAGES = ConversationMessage.__table__
ENROLLMENTS = Enrollment.__table__
OUTBOX = OutboxMessage.__table__
BUCKETS = MetricBucket.__table__


def open_conversation(session: Session, *, contact_id: int, channel: str, now: int) -> dict[str, Any]:
    """The contact's latest not-closed conversation on this channel, or a new ``open`` one (``"new": True``)."""
    query = (
        select(CONVERSATIONS)
        .where(CONVERSATIONS.c.contact_id == contact_id, CONVERSATIONS.c.channel == channel)
        .where(CONVERSATIONS.c.status != "closed")
        .order_by(CONVERSATIONS.c.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    if row is not None:
        return dict(row._mapping)
    values = {
        "contact_id": contact_id,
        "channel": channel,
        "status": "open",
        "created_at": now,
        "updated_at": now,
        "last_message_at": now,
    }
    new_id = int(session.execute(insert(CONVERSATIONS).values(**values)).inserted_primary_key[0])
    return {"id": new_id, **values, "new": True}


def get_conversation(session: Session, conversation_id: int) -> dict[str, Any] | None:
    row = session.execute(select(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation_id)).first()
    return None if row is None else dict(row._mapping)


def set_status(session: Session, *, conversation_id: int, status: str, now: int) -> None:
    """Move a conversation to ``open``, ``handed_over`` or ``closed``."""
    query = update(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation_id)
    session.execute(query.values(status=status, updated_at=now))


def hand_over_open(conn: Connection | Session, *, contact_ids: list[int], now: int) -> None:
    """Every open conversation of these contacts goes to the inbox (``handed_over``)."""
    query = update(CONVERSATIONS).where(CONVERSATIONS.c.contact_id.in_(contact_ids), CONVERSATIONS.c.status == "open")
    conn.execute(query.values(status="handed_over", updated_at=now))


def add_message(
    session: Session,
    *,
    conversation_id: int,
    contact_id: int,
    direction: str,
    author: str,
    text: str,
    now: int,
    agent_user_id: int | None = None,
    intent: str | None = None,
    confidence: float | None = None,
    provider_ref: str | None = None,
    truncated: bool = False,
) -> int:
    """Append one turn and touch the conversation; returns the message id (the read cursor of chat clients)."""
    values = {
        "conversation_id": conversation_id,
        "contact_id": contact_id,
        "direction": direction,
        "author": author,
        "agent_user_id": agent_user_id,
        "text": text,
        "intent": intent,
        "confidence": confidence,
        "created_at": now,
        "provider_ref": provider_ref,
        "truncated": truncated,
    }
    message_id = int(session.execute(insert(MESSAGES).values(**values)).inserted_primary_key[0])
    touch = update(CONVERSATIONS).where(CONVERSATIONS.c.id == conversation_id)
    session.execute(touch.values(updated_at=now, last_message_at=now))
    return message_id


def messages_since(session: Session, *, conversation_id: int, after_id: int = 0, limit: int = 100) -> list[dict]:
    """Turns of a conversation with an id above ``after_id``, oldest first."""
    query = (
        select(MESSAGES)
        .where(MESSAGES.c.conversation_id == conversation_id, MESSAGES.c.id > after_id)
        .order_by(MESSAGES.c.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def chat_messages(session: Session, *, contact_id: int, after_id: int, limit: int = 100) -> list[dict[str, Any]]:
    """The contact's in-app chat turns (every chat conversation) with an id above ``after_id``, oldest first."""
    chats = select(CONVERSATIONS.c.id).where(
        CONVERSATIONS.c.contact_id == contact_id, CONVERSATIONS.c.channel == "in_app"
    )
    query = (
        select(MESSAGES)
        .where(MESSAGES.c.contact_id == contact_id, MESSAGES.c.id > after_id, MESSAGES.c.conversation_id.in_(chats))
        .order_by(MESSAGES.c.id)
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def last_journey_sms(session: Session, *, contact_id: int, since: int) -> dict[str, Any] | None:
    """The latest SMS a journey queued for the contact since ``since`` (what a reply usually answers)."""
    query = (
        select(OUTBOX.c.payload, OUTBOX.c.created_at)
        .where(OUTBOX.c.contact_id == contact_id, OUTBOX.c.channel == "sms", OUTBOX.c.created_at >= since)
        .where(OUTBOX.c.journey_id != 0, OUTBOX.c.status != "failed")
        .order_by(OUTBOX.c.created_at.desc(), OUTBOX.c.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else dict(row._mapping)


def message_by_ref(session: Session, *, provider_ref: str) -> dict[str, Any] | None:
    """The message a provider delivered under this id (its retries carry the same one)."""
    row = session.execute(select(MESSAGES).where(MESSAGES.c.provider_ref == provider_ref).limit(1)).first()
    return None if row is None else dict(row._mapping)


def last_inbound(session: Session, *, contact_id: int, since: int) -> dict[str, Any] | None:
    """The contact's latest reply received at or after ``since`` (epoch seconds), any channel."""
    query = (
        select(MESSAGES)
        .where(MESSAGES.c.contact_id == contact_id, MESSAGES.c.direction == "in", MESSAGES.c.created_at >= since)
        .order_by(MESSAGES.c.id.desc())
        .limit(1)
    )
    row = session.execute(query).first()
    return None if row is None else dict(row._mapping)


def blank_turns(session: Session, *, before: int, limit: int) -> int:
    """Texts of conversation turns older than ``before`` become empty (message retention); returns how many."""
    ids = select(MESSAGES.c.id).where(MESSAGES.c.created_at < before, MESSAGES.c.text != "").limit(limit)
    query = update(MESSAGES).where(MESSAGES.c.id.in_(ids.scalar_subquery())).values(text="")
    return session.execute(query).rowcount or 0


def reply_waits(session: Session, *, contact_id: int, limit: int = 50) -> list[dict[str, Any]]:
    """The contact's latest enrollments (status, phase, wait_event, context), to tell whether a journey is
    waiting for this reply or timed out waiting for one."""
    query = (
        select(ENROLLMENTS.c.status, ENROLLMENTS.c.phase, ENROLLMENTS.c.wait_event, ENROLLMENTS.c.context)
        .where(ENROLLMENTS.c.contact_id == contact_id)
        .order_by(ENROLLMENTS.c.updated_at.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def replies_per_port(
    session: Session | Connection, *, journey_id: int, start: int | None = None, end: int | None = None
) -> list[dict[str, Any]]:
    """Replies taken by each wait-for-reply step of a journey, per port (``timeout`` for no reply in time):
    rows of node_id, port, replies, from the daily step counters (days overlapping ``start``..``end``)."""
    replied = BUCKETS.c.metric == "replied"
    port = case((replied, BUCKETS.c.reason), else_=literal("timeout")).label("port")
    query = (
        select(BUCKETS.c.node_id, port, func.sum(BUCKETS.c.count).label("replies"))
        .where(BUCKETS.c.journey_id == journey_id, BUCKETS.c.grain == DAY)
        .where(BUCKETS.c.metric.in_(("replied", "timed_out")))
        .group_by(BUCKETS.c.node_id, port)
        .order_by(BUCKETS.c.node_id, port)
    )
    if start is not None:
        query = query.where(BUCKETS.c.period > start - DAY)
    if end is not None:
        query = query.where(BUCKETS.c.period < end)
    return [{**row._mapping, "replies": int(row.replies or 0)} for row in session.execute(query)]
