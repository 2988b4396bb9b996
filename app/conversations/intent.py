"""What a contact's message is about, asked of the FAQ knowledge base (app/conversations/faq.py) when it
exists. A matcher that is missing or fails leaves the message without intent: it never loses the message."""

from __future__ import annotations

import importlib
import logging
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from app.core.context import AppContext

log = logging.getLogger("parcours.conversations")


@dataclass(frozen=True)
class Classified:
    intent: str | None = None
    confidence: float | None = None
    match: Any = None  # the FAQ matcher's own result (with its ``answer``), handed back to it when it responds


def faq_module() -> ModuleType | None:
    try:
        return importlib.import_module(".faq", __package__)
    except ImportError:
        return None


def classify(ctx: AppContext, text: str, language: str | None = None) -> Classified:
    faq = faq_module()
    if faq is None or not hasattr(faq, "match") or not text.strip():
        return Classified()
    try:
        found = faq.match(ctx, text, language)
    except Exception as exc:  # the bot's trouble must not cost the contact's message
        log.warning("FAQ matching failed: %s", type(exc).__name__)
        return Classified()
    if found is None:
        return Classified()
    intent = getattr(found, "intent", None)
    confidence = getattr(found, "confidence", None)
    return Classified(
        str(intent)[:100] if intent else None, float(confidence) if confidence is not None else None, found
    )


def respond(ctx: AppContext, *, conversation: dict[str, Any], message_id: int, text: str, found: Classified) -> bool:
    """Let the FAQ bot answer or hand over; False when there is no bot to ask or it handed over (a person
    answers: the caller hands over)."""
    faq = faq_module()
    if faq is None or not hasattr(faq, "respond"):
        return False
    try:
        answered = faq.respond(ctx, conversation=conversation, message_id=message_id, text=text, match=found.match)
    except Exception as exc:
        log.warning("FAQ bot failed to answer: %s", type(exc).__name__)
        return False
    return answered is not False  # the bot says False when it handed the conversation to a person
