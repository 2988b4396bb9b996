"""Webhook receivers of the shop integrations (outside /api/v1: these are the addresses pasted into the shop).

- ``POST /integrations/shopify/webhooks``: ``X-Shopify-Topic``, ``X-Shopify-Hmac-Sha256`` (base64 HMAC-SHA256
  of the raw body with the app secret), ``X-Shopify-Webhook-Id`` (de-duplication), ``X-Shopify-Shop-Domain``.
- ``POST /integrations/woocommerce/webhooks``: ``X-WC-Webhook-Topic``, ``X-WC-Webhook-Signature`` (the same
  signature with the webhook secret), ``X-WC-Webhook-Delivery-ID``, ``X-WC-Webhook-Source``; the unsigned ping
  WooCommerce sends when a webhook is created (form body ``webhook_id=N``) is answered 200.

Answers: 200 stored, acknowledged or ignored (unknown topic); 400 naming the field; 401 unsigned, wrongly
signed or from another shop; 409 a delivery id already accepted. Shopify and WooCommerce retry anything but
a 2xx, so a replay answered 409 is retried until they give up: harmless, it is never stored twice.
"""

from __future__ import annotations

import re

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.access import public_api
from app.context import current
from app.integrations import shopify, woocommerce
from app.integrations.receiver import Delivery, receive

router = APIRouter(prefix="/integrations", tags=["integrations"])
MAX_BODY = 4 * 1024 * 1024
_PING = re.compile(rb"^webhook_id=\d+$")


async def _raw(request: Request) -> bytes | None:
    """The raw body (signatures cover it byte for byte), or None when larger than MAX_BODY."""
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            return None
    return bytes(body)


def _too_large() -> JSONResponse:
    return JSONResponse({"detail": "body: larger than 4 MiB", "field": "body"}, status_code=413)


@router.post("/shopify/webhooks", dependencies=[Depends(public_api)])
async def shopify_webhook(request: Request) -> JSONResponse:
    raw = await _raw(request)
    if raw is None:
        return _too_large()
    headers = request.headers
    delivery = Delivery(
        integration=shopify.NAME,
        topic=headers.get("x-shopify-topic", ""),
        delivery_id=headers.get("x-shopify-webhook-id"),
        raw=raw,
        signature=headers.get("x-shopify-hmac-sha256"),
        id_header="X-Shopify-Webhook-Id",
        shop=headers.get("x-shopify-shop-domain"),
        shop_header="X-Shopify-Shop-Domain",
    )
    answer = await run_in_threadpool(receive, current(), delivery, shopify.MAPPERS)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post("/woocommerce/webhooks", dependencies=[Depends(public_api)])
async def woocommerce_webhook(request: Request) -> JSONResponse:
    raw = await _raw(request)
    if raw is None:
        return _too_large()
    headers = request.headers
    if "x-wc-webhook-signature" not in headers and _PING.match(raw.strip()):
        return JSONResponse({"ok": True, "detail": "ping received"})  # sent unsigned when a webhook is created
    delivery = Delivery(
        integration=woocommerce.NAME,
        topic=headers.get("x-wc-webhook-topic", ""),
        delivery_id=headers.get("x-wc-webhook-delivery-id"),
        raw=raw,
        signature=headers.get("x-wc-webhook-signature"),
        id_header="X-WC-Webhook-Delivery-ID",
        shop=headers.get("x-wc-webhook-source"),
        shop_header="X-WC-Webhook-Source",
    )
    answer = await run_in_threadpool(receive, current(), delivery, woocommerce.MAPPERS)
    return JSONResponse(answer.body, status_code=answer.status)
