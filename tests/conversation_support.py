"""The conversation loop on loopback: the conversations API served by uvicorn in this process (so it shares the
test's database and FrozenClock), Twilio configured the way an admin does in Settings → Providers and pointed at
a Twilio-compatible stub, and journeys with a wait-for-reply step."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from fastapi import FastAPI
from sqlalchemy import select

from app.core.context import AppContext
from app.delivery import provider_config
from storage.conversation_models import Conversation, ConversationMessage
from tests.conftest import free_port
from tests.engine_support import journey
from tests.twilio_stub import TwilioStub

ACCOUNT_SID = "AC0123456789abcdef0123456789abcdef"
AUTH_TOKEN = "twilio-auth-token-0123456789"
SENDER = "+33700000000"
ADMIN = "owner@example.com"

CONFIRM = journey(
    [
        ("entry", "entry.api", {}),
        ("ask", "message.sms", {"body": "Reply YES to confirm your appointment, NO to cancel, or a number"}),
        (
            "wait",
            "wait.reply",
            {
                "rules": [
                    {"port": "yes", "kind": "keyword", "keywords": ["yes"]},
                    {"port": "no", "kind": "keyword", "keywords": ["non"]},
                    {"port": "number", "kind": "number", "min": 1, "max": 10},
                ],
                "timeout": {"amount": 1, "unit": "days"},
            },
        ),
        ("thanks", "message.sms", {"body": "Thanks, we got {{ reply.text }}"}),
        ("keep", "update_attribute", {"updates": [{"attribute": "answer", "op": "set", "value": "{{ reply.text }}"}]}),
        ("done", "exit", {}),
        ("cancelled", "exit", {}),
        ("unclear", "exit", {}),
        ("silent", "exit", {}),
    ],
    [
        ("entry", "next", "ask"),
        ("ask", "next", "wait"),
        ("wait", "yes", "thanks"),
        ("thanks", "next", "done"),
        ("wait", "number", "keep"),
        ("keep", "next", "cancelled"),
        ("wait", "no", "cancelled"),
        ("wait", "no_match", "unclear"),
        ("wait", "timeout", "silent"),
    ],
    name="Appointment confirmation",
)


def configure_twilio(ctx: AppContext, stub: TwilioStub, **more: str) -> None:
    values = {
        "twilio_account_sid": ACCOUNT_SID,
        "twilio_auth_token": AUTH_TOKEN,
        "twilio_from": SENDER,
        "twilio_api_base": stub.url,
        **more,
    }
    for name, value in values.items():
        provider_config.save(ctx, name, value, actor=ADMIN)


@contextmanager
def twilio(ctx: AppContext, **more: str) -> Iterator[TwilioStub]:
    stub = TwilioStub(ACCOUNT_SID, AUTH_TOKEN, SENDER).start()
    configure_twilio(ctx, stub, **more)
    try:
        yield stub
    finally:
        stub.stop()


@contextmanager
def conversations_api() -> Iterator[str]:
    """The conversations router over real HTTP on loopback; yields its base URL."""
    from app.api.conversations import router

    api = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    api.include_router(router)
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(api, host="127.0.0.1", port=port, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:  # uvicorn's own readiness flag, not a guess at a duration
        if time.monotonic() > deadline:
            raise RuntimeError("the conversations API did not start")
        time.sleep(0.01)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def _all(ctx: AppContext, model: Any) -> list[Any]:
    table = model.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def conversations(ctx: AppContext) -> list[Any]:
    return _all(ctx, Conversation)


def turns(ctx: AppContext) -> list[Any]:
    return _all(ctx, ConversationMessage)
