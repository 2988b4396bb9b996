"""The FAQ bot's turn in a conversation: answer an inbound question from the knowledge base, or hand the
conversation over to a person (it then waits in the inbox). Each decision is logged for the analytics."""

from __future__ import annotations

from typing import Any

from app.conversations import knowledge_store
from app.conversations.faq import HUMAN, LOW_CONFIDENCE, Match, wants_human
from app.core.context import AppContext
from journeys.errors import ConflictError
from storage import conversations as conversation_store
from storage import faq as store

CONSENT = "consent"  # handed over because the answer could not be sent (the contact withdrew consent)


def respond(ctx: AppContext, *, conversation: dict[str, Any], message_id: int, text: str, match: Match | None) -> bool:
    """Answer with ``match`` (True) or hand over (False). With an empty knowledge base there is no bot: a person
    answers (the hand-over is not counted as the bot's)."""
    if not knowledge_store.snapshot(ctx).entries:
        with ctx.db.session() as session:
            now = int(ctx.clock.now().timestamp())
            conversation_store.set_status(session, conversation_id=conversation["id"], status="handed_over", now=now)
        return False
    if match is None:
        hand_over(ctx, conversation, message_id, HUMAN if wants_human(text) else LOW_CONFIDENCE)
        return False
    from app.conversations import outbound  # the sending side of conversations

    try:
        outbound.send(
            ctx,
            conversation_id=conversation["id"],
            text=match.answer,
            author="bot",
            intent=match.intent,
            confidence=match.confidence,
        )
    except ConflictError:
        hand_over(ctx, conversation, message_id, CONSENT)
        return False
    with ctx.db.session() as session:
        store.record_outcome(session, **_outcome(ctx, conversation, message_id, "answered", "", match))
    return True


def hand_over(ctx: AppContext, conversation: dict[str, Any], message_id: int | None, reason: str) -> None:
    """The conversation waits for a person from now on."""
    values = _outcome(ctx, conversation, message_id, "handed_over", reason, None)
    with ctx.db.session() as session:
        conversation_store.set_status(
            session, conversation_id=conversation["id"], status="handed_over", now=values["at"]
        )
        store.record_outcome(session, **values)


def _outcome(
    ctx: AppContext,
    conversation: dict[str, Any],
    message_id: int | None,
    outcome: str,
    reason: str,
    match: Match | None,
) -> dict[str, Any]:
    return {
        "conversation_id": conversation["id"],
        "contact_id": conversation["contact_id"],
        "message_id": message_id,
        "at": int(ctx.clock.now().timestamp()),
        "outcome": outcome,
        "reason": reason,
        "intent": match.intent if match else None,
        "confidence": match.confidence if match else None,
    }
