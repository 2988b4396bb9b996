"""Conversations over the REST API (see docs/CONVERSATIONS.md).

- ``POST /api/v1/conversations/sms/twilio``: Twilio's inbound SMS webhook (form-encoded, ``X-Twilio-Signature``).
- ``POST /api/v1/conversations/sms/inbound``: any other SMS gateway, as JSON ``{"from", "text", "id"}`` signed
  with ``X-Parcours-Signature: sha256=<hex HMAC-SHA256 of the raw body with the inbound SMS secret>``.
- ``POST /api/v1/contacts/{external_id}/chat`` and ``GET /api/v1/contacts/{external_id}/chat?after=<cursor>``:
  the app's in-app chat, with the tracking (write) key.
Unsigned or wrongly signed webhooks get 403 and are logged (without their content).
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Query, Request
from fastapi.responses import JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from app.access.policy import client_ip, public_api
from app.api.auth import require_api_key
from app.conversations import chat, inbound, webhooks
from app.core.context import current
from app.delivery.provider_config import effective_settings
from journeys import codec

router = APIRouter(prefix="/api/v1", tags=["conversations"])
log = logging.getLogger("parcours.conversations")
MAX_BODY = 64 * 1024
APP_ACCESS = [Depends(public_api), Depends(require_api_key)]
EMPTY_TWIML = '<?xml version="1.0" encoding="UTF-8"?><Response></Response>'


class ChatIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1, max_length=20_000, description="What the user typed")


def _refuse(request: Request, source: str) -> JSONResponse:
    log.warning("refused %s inbound message from %s: missing or wrong signature", source, client_ip(request))
    return JSONResponse({"detail": "invalid or missing signature"}, status_code=403)


async def _raw(request: Request) -> bytes | None:
    raw = await request.body()
    return None if len(raw) > MAX_BODY else raw


@router.post("/conversations/sms/twilio", dependencies=[Depends(public_api)])
async def twilio_inbound(request: Request) -> Response:
    raw = await _raw(request)
    if raw is None:
        return JSONResponse({"detail": "body too large"}, status_code=413)
    settings = effective_settings(current())
    form = webhooks.twilio_form(raw)
    path = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    url = webhooks.signed_url(settings, str(request.url), path)
    if not webhooks.twilio_authentic(settings, url, form, request.headers.get("x-twilio-signature")):
        return _refuse(request, "Twilio")
    if not form.get("From"):
        return JSONResponse({"detail": "From: required (the sender's phone number)"}, status_code=400)
    await run_in_threadpool(
        inbound.receive_sms,
        current(),
        sender=form["From"],
        body=form.get("Body", ""),
        provider_ref=form.get("MessageSid"),
    )
    return Response(EMPTY_TWIML, media_type="text/xml")


@router.post("/conversations/sms/inbound", dependencies=[Depends(public_api)])
async def generic_inbound(request: Request) -> JSONResponse:
    raw = await _raw(request)
    if raw is None:
        return JSONResponse({"detail": "body too large"}, status_code=413)
    settings = effective_settings(current())
    if not webhooks.generic_authentic(settings, raw, request.headers.get("x-parcours-signature")):
        return _refuse(request, "generic")
    data = webhooks.generic_fields(raw)
    if data is None:
        return JSONResponse({"detail": "body: a JSON object is required"}, status_code=400)
    sender, text, ref = data.get("from"), data.get("text", data.get("body", "")), data.get("id")
    if not isinstance(sender, str) or not sender.strip():
        return JSONResponse({"detail": "from: required (the sender's phone number)"}, status_code=400)
    if not isinstance(text, str):
        return JSONResponse({"detail": "text: must be a string"}, status_code=400)
    if ref is not None and not isinstance(ref, str | int):
        return JSONResponse({"detail": "id: must be a string"}, status_code=400)
    ref_text = None if ref is None else f"generic:{str(ref)[:180]}"
    got = await run_in_threadpool(inbound.receive_sms, current(), sender=sender, body=text, provider_ref=ref_text)
    return JSONResponse({"ok": True, "outcome": "received" if got.outcome == "dropped" else got.outcome})


@router.post("/contacts/{external_id}/chat", status_code=201, dependencies=APP_ACCESS)
def post_chat(external_id: str, body: ChatIn) -> dict[str, Any]:
    """The app user's message; it reaches journeys waiting for a reply, the FAQ bot or the inbox."""
    got = inbound.receive_chat(current(), external_id=external_id[:200], text=body.text)
    if got.outcome == "dropped":
        raise HTTPException(404, detail=f"external_id: no contact {external_id[:80]!r}")
    return {"conversation_id": got.conversation_id, "message_id": got.message_id}


@router.get("/contacts/{external_id}/chat", dependencies=APP_ACCESS)
def read_chat(
    external_id: str,
    after: int = Query(
        default=0, ge=0, le=codec.INT_MAX, description="The cursor of the last call; 0 for the whole history"
    ),
    limit: int = Query(default=100, ge=1, le=500),
) -> dict[str, Any]:
    """The chat's messages after ``after`` (both directions, oldest first) and the cursor for the next call."""
    found = chat.read(current(), external_id=external_id, after=after, limit=limit)
    if found is None:
        raise HTTPException(404, detail=f"external_id: no contact {external_id[:80]!r}")
    return found
