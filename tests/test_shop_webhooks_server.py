"""The Shopify receiver of the real server (`python main.py`) over HTTP on loopback."""

from __future__ import annotations

import json

import httpx

from app.integrations import config
from tests.shop_support import configure, events, fixture, shopify_headers


def test_the_server_stores_a_signed_checkout_and_refuses_a_forged_one(server, ctx) -> None:
    configure(ctx)
    raw = json.dumps(fixture("shopify_checkout_create")).encode()
    url = server.base_url + "/integrations/shopify/webhooks"
    forged = httpx.post(url, content=raw, headers=shopify_headers("checkouts/create", raw, secret="guess"))
    assert forged.status_code == 401
    signed = httpx.post(url, content=raw, headers=shopify_headers("checkouts/create", raw, webhook_id="w-1"))
    assert signed.status_code == 200, signed.text
    replay = httpx.post(url, content=raw, headers=shopify_headers("checkouts/create", raw, webhook_id="w-1"))
    assert replay.status_code == 409
    assert [e.name for e in events(ctx)] == ["Checkout Started"]
    assert [d["status"] for d in config.deliveries(ctx, "shopify")] == [409, 200, 401]
