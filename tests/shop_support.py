"""Shop webhooks as Shopify and WooCommerce send them: documented payloads (tests/fixtures/shop), signed the
way they sign (base64 HMAC-SHA256 of the raw body), posted to the receivers with the real database and clock."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import uuid
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from sqlalchemy import select

with warnings.catch_warnings():  # Starlette suggests another HTTP package; the httpx-based client works
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

from app.core.context import AppContext
from app.integrations import config
from storage.models import Contact, Event

FIXTURES = Path(__file__).parent / "fixtures" / "shop"
SHOPIFY_SECRET = "shpss_0123456789abcdef0123456789abcdef"
WOO_SECRET = "wc-webhook-secret-0123456789"
SHOP = "parcours-test.myshopify.com"


def fixture(name: str) -> dict[str, Any]:
    return json.loads((FIXTURES / f"{name}.json").read_text(encoding="utf-8"))


def sign(secret: str, raw: bytes) -> str:
    return base64.b64encode(hmac.new(secret.encode(), raw, hashlib.sha256).digest()).decode()


def shopify_headers(topic: str, raw: bytes, *, secret: str = SHOPIFY_SECRET, webhook_id: str | None = None) -> dict:
    return {
        "Content-Type": "application/json",
        "X-Shopify-Topic": topic,
        "X-Shopify-Hmac-Sha256": sign(secret, raw),
        "X-Shopify-Shop-Domain": SHOP,
        "X-Shopify-Webhook-Id": webhook_id or str(uuid.uuid4()),
        "X-Shopify-API-Version": "2025-01",
        "X-Shopify-Triggered-At": "2026-01-05T09:00:00.000000000Z",
    }


def woo_headers(topic: str, raw: bytes, *, secret: str = WOO_SECRET, delivery_id: str | None = None) -> dict:
    resource, event = topic.split(".")
    return {
        "Content-Type": "application/json",
        "X-WC-Webhook-Source": "https://shop.example.fr/",
        "X-WC-Webhook-Topic": topic,
        "X-WC-Webhook-Resource": resource,
        "X-WC-Webhook-Event": event,
        "X-WC-Webhook-Signature": sign(secret, raw),
        "X-WC-Webhook-ID": "12",
        "X-WC-Webhook-Delivery-ID": delivery_id or uuid.uuid4().hex,
    }


def configure(ctx: AppContext) -> None:
    config.save_secret(ctx, "shopify", SHOPIFY_SECRET, actor="owner@example.com")
    config.save_shop(ctx, "shopify", SHOP, actor="owner@example.com")
    config.save_secret(ctx, "woocommerce", WOO_SECRET, actor="owner@example.com")


@contextmanager
def shop_client(ctx: AppContext) -> Iterator[TestClient]:
    """The receivers' router in process (the server serves the same one), with the shop secrets set."""
    from app.api.integrations import router

    configure(ctx)
    lane = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    lane.include_router(router)
    with TestClient(lane, base_url="http://testserver") as client:
        yield client


def post_shopify(client: Any, topic: str, body: dict[str, Any] | bytes, **headers: Any) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return client.post("/integrations/shopify/webhooks", content=raw, headers=shopify_headers(topic, raw, **headers))


def post_woo(client: Any, topic: str, body: dict[str, Any], **headers: Any) -> Any:
    raw = json.dumps(body).encode()
    return client.post("/integrations/woocommerce/webhooks", content=raw, headers=woo_headers(topic, raw, **headers))


def contacts(ctx: AppContext) -> list[Any]:
    table = Contact.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))


def events(ctx: AppContext) -> list[Any]:
    table = Event.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.id)))
