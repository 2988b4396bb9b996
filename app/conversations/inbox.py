"""The people's inbox: conversations to answer, their history, an agent's reply through the conversation's
channel, closing, and the figures (bot answers against hand-overs, time to the first human answer).

Every function that acts takes the acting account; pages check the role before calling (app.access.guard), and these
functions check it again, so an API or a stale tab cannot act beyond the account's role.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.access import audit, auth
from app.access.policy import Principal
from app.core.context import AppContext
from journeys.errors import ConflictError, InvalidError, NotFoundError
from storage import conversation_inbox as inbox_store
from storage import conversations as conversation_store
from storage import faq as faq_store
from storage.conversation_models import CONVERSATION_STATUSES

CHANNELS = ("sms", "in_app")
# The words of each conversation status, channel and turn author, by code.
STATUS_KEYS = {
    "open": "inbox.status.open",
    "handed_over": "inbox.status.handed_over",
    "closed": "inbox.status.closed",
}
CHANNEL_KEYS = {"sms": "inbox.channel.sms", "in_app": "inbox.channel.in_app"}
AUTHOR_KEYS = {
    "contact": "inbox.author.contact",
    "bot": "inbox.author.bot",
    "agent": "inbox.author.agent",
    "journey": "inbox.author.journey",
}
MAX_REPLY_CHARS = 1600
HISTORY_LIMIT = 500


@dataclass(frozen=True)
class Figures:
    answered: int
    handed_over: int
    median_first_answer_seconds: float | None  # None: no hand-over answered by a person yet
    waiting: int

    @property
    def answered_share(self) -> float | None:
        total = self.answered + self.handed_over
        return self.answered / total if total else None


def conversations(ctx: AppContext, *, status: str | None = None, channel: str | None = None) -> list[dict[str, Any]]:
    status = status if status in CONVERSATION_STATUSES else None
    channel = channel if channel in CHANNELS else None
    with ctx.db.session() as session:
        return inbox_store.listing(session, status=status, channel=channel)


def thread(ctx: AppContext, conversation_id: int) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The conversation (with its contact) and its turns, oldest first (an agent's turn names who wrote it)."""
    with ctx.db.session() as session:
        conversation = inbox_store.with_contact(session, conversation_id)
        if conversation is None:
            raise NotFoundError(f"conversation {conversation_id} does not exist")
        turns = conversation_store.messages_since(session, conversation_id=conversation_id, limit=HISTORY_LIMIT)
        names = inbox_store.agent_names(session, sorted({t["agent_user_id"] for t in turns if t["agent_user_id"]}))
    for turn in turns:
        turn["agent_name"] = names.get(turn["agent_user_id"] or 0, "")
    return conversation, turns


def reply(ctx: AppContext, principal: Principal, *, conversation_id: int, text: str) -> int:
    """Send an agent's answer on the conversation's channel (consent rules apply); audited with who answered."""
    _check(principal)
    text = (text or "").strip()
    if not text:
        raise InvalidError("text: write an answer first")
    if len(text) > MAX_REPLY_CHARS:
        raise InvalidError(f"text: at most {MAX_REPLY_CHARS} characters")
    conversation, _ = thread(ctx, conversation_id)
    if conversation["status"] == "closed":
        raise ConflictError("status: this conversation is closed")
    from app.conversations import outbound  # the sending side of conversations

    message_id = outbound.send(
        ctx, conversation_id=conversation_id, text=text, author="agent", agent_user_id=principal.user_id
    )
    audit.record(ctx, principal.email, "inbox.reply", f"conversation {conversation_id}", {"message": message_id})
    return message_id


def set_status(ctx: AppContext, principal: Principal, *, conversation_id: int, status: str) -> None:
    """Close a conversation, or give it back to the bot (``open``); audited."""
    _check(principal)
    if status not in ("open", "closed"):
        raise InvalidError("status: must be open or closed")
    with ctx.db.session() as session:
        if conversation_store.get_conversation(session, conversation_id) is None:
            raise NotFoundError(f"conversation {conversation_id} does not exist")
        now = int(ctx.clock.now().timestamp())
        conversation_store.set_status(session, conversation_id=conversation_id, status=status, now=now)
        where = f"conversation {conversation_id}"
        audit.record(
            ctx, principal.email, "inbox.close" if status == "closed" else "inbox.reopen", where, session=session
        )


def figures(ctx: AppContext, *, days: int = 30) -> Figures:
    """The bot's answers and hand-overs of the last ``days``, and the median time from a hand-over to the
    first answer by a person (hand-overs not answered yet are left out)."""
    since = int((ctx.clock.now() - timedelta(days=days)).timestamp())
    with ctx.db.session() as session:
        counts = faq_store.outcome_counts(session, since=since)
        handovers = faq_store.handovers_since(session, since=since)
        answers = inbox_store.first_agent_answers(session, sorted({c for c, _ in handovers}))
        waiting = inbox_store.status_counts(session).get("handed_over", 0)
    return Figures(
        answered=counts.get("answered", 0),
        handed_over=counts.get("handed_over", 0),
        median_first_answer_seconds=_median_wait(handovers, answers),
        waiting=waiting,
    )


def _median_wait(handovers: list[tuple[int, int]], answers: list[tuple[int, int]]) -> float | None:
    by_conversation: dict[int, list[int]] = {}
    for conversation_id, at in answers:
        by_conversation.setdefault(conversation_id, []).append(at)
    waits = []
    for conversation_id, handed_at in handovers:
        later = [at for at in by_conversation.get(conversation_id, []) if at >= handed_at]
        if later:
            waits.append(min(later) - handed_at)
    return float(statistics.median(waits)) if waits else None


def _check(principal: Principal) -> None:
    if not auth.allows(principal.role, auth.AGENT):
        raise PermissionError("this needs the agent role")
