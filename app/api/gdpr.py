"""Consent, inbound SMS keywords and GDPR rights over the REST API.

- ``POST /api/v1/contacts/{external_id}/consent`` (a tracking key, from the app's own settings screen, or a
  marketer management token, from a back end): set one channel's consent.
- ``POST /api/v1/sms/inbound`` (shared secret): STOP/START/HELP keywords from an SMS gateway, as JSON
  ``{"from": ..., "body": ...}`` or a Twilio-like form (``From``, ``Body``). Signed with
  ``X-Parcours-Signature: <hex HMAC-SHA256 of the raw body>`` or ``?token=<secret>``.
- ``GET /api/v1/contacts/{external_id}/export`` and ``DELETE /api/v1/contacts/{external_id}`` (a signed-in marketer
  or a marketer management token; never a tracking key).
"""

from __future__ import annotations

import json
from typing import Any, Literal
from urllib.parse import parse_qs

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from app.access.policy import MARKETER, Principal, api_access, client_ip, public_api
from app.api.auth import require_consent_key
from app.audience import consent
from app.core.context import current
from app.engagement import sms_inbound
from app.privacy import gdpr
from storage.api_keys import KeyInfo

router = APIRouter(prefix="/api/v1", tags=["gdpr"])
MAX_SMS_BODY = 64 * 1024


class ConsentIn(BaseModel):
    channel: Literal["push", "sms", "email", "in_app"]
    status: Literal["subscribed", "unsubscribed"]
    source: Literal["api", "csv", "ui", "unsubscribe", "sms_keyword", "preference_page", "import"] = "api"


class ConsentOut(BaseModel):
    external_id: str
    channel: str
    status: str
    changed: bool
    consent: dict[str, Any] = Field(default_factory=dict)


def _contact_id(external_id: str) -> int:
    contact_id = gdpr.find_contact(current(), external_id)
    if contact_id is None:
        raise HTTPException(404, detail=f"external_id: no contact {external_id[:80]!r}")
    return contact_id


@router.post("/contacts/{external_id}/consent", response_model=ConsentOut, dependencies=[Depends(public_api)])
def set_contact_consent(external_id: str, body: ConsentIn, key: KeyInfo = Depends(require_consent_key)) -> ConsentOut:
    ctx = current()
    contact_id = _contact_id(external_id)
    actor = f"api:{key.name}"
    result = consent.set_consent(ctx, contact_id, body.channel, body.status, body.source, actor)
    return ConsentOut(
        external_id=external_id,
        channel=body.channel,
        status=result.status,
        changed=result.changed,
        consent=consent.current(ctx, contact_id),
    )


@router.post("/sms/inbound", dependencies=[Depends(public_api)])
async def sms_inbound_webhook(request: Request) -> JSONResponse:
    raw = await request.body()
    if len(raw) > MAX_SMS_BODY:
        return JSONResponse({"detail": "body too large"}, status_code=413)
    ctx = current()
    secret = ctx.settings.sms_inbound_secret.get_secret_value()
    if not secret:
        detail = "webhook not configured: set PARCOURS_SMS_INBOUND_SECRET"
        return JSONResponse({"detail": detail}, status_code=403)
    token = request.query_params.get("token") or request.headers.get("x-parcours-token")
    if not sms_inbound.authentic(secret, raw, request.headers.get("x-parcours-signature"), token):
        return JSONResponse({"detail": "invalid or missing signature"}, status_code=401)
    sender, text = _sms_fields(raw, request.headers.get("content-type", ""))
    if not sender:
        return JSONResponse({"detail": "from: required (the sender's phone number)"}, status_code=400)
    outcome = sms_inbound.handle(ctx, sender, text)
    # Unknown numbers get the same neutral answer as known ones: nothing to learn about who is a contact.
    return JSONResponse({"ok": True} if outcome == "unknown" else {"ok": True, "outcome": outcome})


def _sms_fields(raw: bytes, content_type: str) -> tuple[str, str]:
    if "application/x-www-form-urlencoded" in content_type:
        form = parse_qs(raw.decode("utf-8", "replace"))
        return (form.get("From") or form.get("from") or [""])[0], (form.get("Body") or form.get("body") or [""])[0]
    try:
        data = json.loads(raw or b"{}")
    except ValueError:
        return "", ""
    if not isinstance(data, dict):
        return "", ""
    return str(data.get("from") or ""), str(data.get("body") or "")


@router.get("/contacts/{external_id}/export")
def export_contact(external_id: str, who: Principal = Depends(api_access(MARKETER))) -> JSONResponse:
    data = gdpr.export_contact(current(), _contact_id(external_id), actor=who.email)
    headers = {"Content-Disposition": 'attachment; filename="contact-export.json"'}
    return JSONResponse(data, headers=headers)


@router.delete("/contacts/{external_id}")
def erase_contact(external_id: str, request: Request, who: Principal = Depends(api_access(MARKETER))) -> dict[str, Any]:
    counts = gdpr.erase_contact(current(), _contact_id(external_id), actor=who.email, ip=client_ip(request))
    return {"erased": True, "removed": counts}
