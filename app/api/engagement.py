"""Engagement endpoints: email open pixel, click redirects, unsubscribe (link and one-click POST),
opens and clicks reported by apps, and OneSignal's event webhook.

Links carry signed tokens. A forged, tampered or unknown token records nothing and still gets a neutral
answer (the pixel, a safe page), so probing learns nothing. A malformed provider callback gets 400.
"""

from __future__ import annotations

import base64
import hmac
import json
from typing import Literal

from fastapi import APIRouter, Depends, HTTPException, Request
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from pydantic import BaseModel, ConfigDict

from app.access.policy import public_api
from app.api.auth import require_api_key
from app.core.context import current
from app.delivery import tracking_links as links
from app.engagement import service

# Reached by email recipients (signed links), apps (write key) and OneSignal (webhook token): not by sessions.
router = APIRouter(prefix="/api/v1", tags=["engagement"], dependencies=[Depends(public_api)])

PIXEL = base64.b64decode("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
NO_STORE = {"Cache-Control": "no-store, private", "Referrer-Policy": "no-referrer"}
PAGE = """<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>Parcours</title>
<meta name="robots" content="noindex"></head><body style="font-family:sans-serif;max-width:32rem;margin:3rem auto">
<p>{fr}</p><p lang="en">{en}</p></body></html>"""


CONFIRM_PAGE = PAGE.format(
    fr="Voulez-vous vraiment vous désabonner de nos e-mails ?",
    en='Do you want to unsubscribe from our emails?</p><form method="post">'
    '<input type="hidden" name="confirm" value="yes">'
    '<button type="submit">Se désabonner / Unsubscribe</button></form><p>',
)


def _page(fr: str, en: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(PAGE.format(fr=fr, en=en), status_code=status, headers=NO_STORE)


@router.get("/track/open/{token}.gif", include_in_schema=False)
def open_pixel(token: str) -> Response:
    """1×1 GIF; counts an open once per message when the token is genuine."""
    ctx = current()
    payload = links.read(ctx.settings, links.OPEN, token)
    if payload is not None:
        service.hit(ctx, payload["m"], "opened")
    return Response(PIXEL, media_type="image/gif", headers=NO_STORE)


@router.get("/track/click/{token}", include_in_schema=False)
def click(token: str) -> Response:
    """Redirects to the original link and counts a click; a forged token lands on a neutral page."""
    ctx = current()
    payload = links.read(ctx.settings, links.CLICK, token)
    if payload is None or not service.hit(ctx, payload["m"], "clicked"):
        return _page("Ce lien n'est plus valide.", "This link is no longer valid.", 404)
    return RedirectResponse(payload["u"], status_code=302, headers=NO_STORE)


def _unsubscribe(token: str) -> bool:
    ctx = current()
    payload = links.read(ctx.settings, links.UNSUBSCRIBE, token)
    return payload is not None and service.unsubscribe(ctx, payload["m"])


@router.get("/track/unsubscribe/{token}", include_in_schema=False)
def unsubscribe_link(token: str) -> HTMLResponse:
    """A confirmation page only: mail scanners fetch every link, so a GET never unsubscribes anyone."""
    if links.read(current().settings, links.UNSUBSCRIBE, token) is None:
        return _page("Ce lien n'est plus valide.", "This link is no longer valid.", 404)
    return HTMLResponse(CONFIRM_PAGE, headers=NO_STORE)


@router.post("/track/unsubscribe/{token}", include_in_schema=False)
async def unsubscribe_post(token: str, request: Request) -> Response:
    """The confirmation form (answers with a page) or RFC 8058 one-click from a mail client (no page)."""
    kind = service.unsubscribe_request(await request.body(), request.headers.get("content-type", ""))
    if kind is None:
        detail = "body: expected List-Unsubscribe=One-Click (RFC 8058) or the confirmation form"
        return JSONResponse({"detail": detail}, status_code=400, headers=NO_STORE)
    done = _unsubscribe(token)
    if kind == "one-click":
        return Response(status_code=200 if done else 404, headers=NO_STORE)
    if done:
        return _page("Vous êtes désabonné(e).", "You are unsubscribed.")
    return _page("Ce lien n'est plus valide.", "This link is no longer valid.", 404)


class AppEvent(BaseModel):
    model_config = ConfigDict(extra="forbid")

    type: Literal["opened", "clicked"]


@router.post("/messages/{message_id}/events", dependencies=[Depends(require_api_key)])
def app_event(message_id: str, body: AppEvent) -> dict[str, bool]:
    """Push and in-app opens and clicks reported by the app; unknown messages are accepted and ignored."""
    return {"recorded": service.hit(current(), message_id, body.type)}


@router.post("/webhooks/onesignal")
async def onesignal_webhook(request: Request) -> dict[str, int]:
    """OneSignal Event Streams: deliveries, failures, opens, clicks and unsubscribes of our messages."""
    settings = current().settings
    expected = settings.onesignal_webhook_token.get_secret_value()
    if not expected:  # an unauthenticated callback could mark any message delivered, failed or unsubscribed
        raise HTTPException(403, detail="webhook not configured: set PARCOURS_ONESIGNAL_WEBHOOK_TOKEN")
    given = request.headers.get("x-parcours-token") or request.query_params.get("token") or ""
    if not hmac.compare_digest(given.encode(), expected.encode()):
        raise HTTPException(401, detail="token: missing or wrong webhook token")
    try:
        body = json.loads(await request.body() or b"null")
    except ValueError as exc:
        raise HTTPException(400, detail="body: not valid JSON") from exc
    try:
        kind, notification, external_id, reason = service.parse_onesignal(body)
    except ValueError as exc:
        raise HTTPException(400, detail=str(exc)) from exc
    return {"matched": service.onesignal_event(current(), kind, notification, external_id, reason)}
