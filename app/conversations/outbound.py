"""Answers in a conversation (the bot's, an agent's), sent on its channel under the consent rules.

SMS answers go through the outbox and the dispatcher like any SMS (Twilio or OneSignal); in-app chat answers
are conversation turns the app reads with ``GET /api/v1/contacts/{external_id}/chat``.
"""

from __future__ import annotations

from app.core.context import AppContext
from app.delivery.workspace import load_policy
from journeys import delivery
from journeys.errors import ConflictError, InvalidError, NotFoundError
from journeys.steps.types import ContactView
from storage import conversations as store
from storage import gdpr as contacts

MAX_ANSWER = 1_600


def _refusal(contact: dict, channel: str, ctx: AppContext) -> str | None:
    view = ContactView(
        id=contact["id"],
        external_id=contact["external_id"],
        phone=contact["phone"],
        push_id=contact["push_id"],
        consent=contact["consent"] or {},
    )
    return delivery.consent_problem(view, channel, load_policy(ctx).consent) or delivery.address_problem(view, channel)


def send(
    ctx: AppContext,
    *,
    conversation_id: int,
    text: str,
    author: str,
    agent_user_id: int | None = None,
    intent: str | None = None,
    confidence: float | None = None,
) -> int:
    """Record an outgoing turn and queue it on the conversation's channel; returns the turn's id.

    Raises NotFoundError for an unknown conversation, InvalidError for an empty or too long text and
    ConflictError ("consent: ...") when the contact may not be written to on that channel.
    """
    text = text.strip()
    if not text or len(text) > MAX_ANSWER:
        raise InvalidError(f"text: between 1 and {MAX_ANSWER} characters")
    now = int(ctx.clock.now().timestamp())
    with ctx.db.write_session() as session:
        conversation = store.get_conversation(session, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation_id: no conversation {conversation_id}")
        contact = contacts.contact_row(session, conversation["contact_id"])
        if contact is None:
            raise NotFoundError("conversation_id: its contact no longer exists")
        channel = conversation["channel"]
        problem = _refusal(contact, channel, ctx) if channel == "sms" else None
        if problem:
            raise ConflictError(f"consent: the contact cannot receive SMS ({problem})")
        message_id = store.add_message(
            session, conversation_id=conversation_id, contact_id=contact["id"], direction="out", author=author,
            text=text, now=now, agent_user_id=agent_user_id, intent=intent, confidence=confidence,
        )  # fmt: skip
        if channel == "sms":
            outbox_id = f"conversation:{conversation_id}:{message_id}"
            contacts.queue_system_sms(
                session, message_id=outbox_id, contact=contact, body=text, now=now, node_id="conversation"
            )
    return message_id
