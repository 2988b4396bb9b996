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
from dataclasses import dataclass

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.access.policy import public_api
from app.core.context import current
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


@dataclass(frozen=True)
class Headers:
    """Where a shop puts each part of a delivery (header names as the shop documents them)."""

    topic: str
    delivery_id: str
    signature: str
    shop: str


SHOPIFY = Headers("X-Shopify-Topic", "X-Shopify-Webhook-Id", "X-Shopify-Hmac-Sha256", "X-Shopify-Shop-Domain")
WOOCOMMERCE = Headers("X-WC-Webhook-Topic", "X-WC-Webhook-Delivery-ID", "X-WC-Webhook-Signature", "X-WC-Webhook-Source")


async def _receive(request: Request, raw: bytes, integration: str, names: Headers, mappers: dict) -> JSONResponse:
    headers = request.headers  # case-insensitive
    delivery = Delivery(
        integration=integration,
        topic=headers.get(names.topic, ""),
        delivery_id=headers.get(names.delivery_id),
        raw=raw,
        signature=headers.get(names.signature),
        id_header=names.delivery_id,
        shop=headers.get(names.shop),
        shop_header=names.shop,
    )
    answer = await run_in_threadpool(receive, current(), delivery, mappers)
    return JSONResponse(answer.body, status_code=answer.status)


@router.post("/shopify/webhooks", dependencies=[Depends(public_api)])
async def shopify_webhook(request: Request) -> JSONResponse:
    raw = await _raw(request)
    if raw is None:
        return _too_large()
    return await _receive(request, raw, shopify.NAME, SHOPIFY, shopify.MAPPERS)


@router.post("/woocommerce/webhooks", dependencies=[Depends(public_api)])
async def woocommerce_webhook(request: Request) -> JSONResponse:
    raw = await _raw(request)
    if raw is None:
        return _too_large()
    if WOOCOMMERCE.signature not in request.headers and _PING.match(raw.strip()):
        return JSONResponse({"ok": True, "detail": "ping received"})  # sent unsigned when a webhook is created
    return await _receive(request, raw, woocommerce.NAME, WOOCOMMERCE, woocommerce.MAPPERS)
