"""Refreshing recommendations: shop events read, the co-occurrence model trained, lists and catalogue saved.

The runtime runs :func:`refresh` every hour (app/core/runtime.py); ``python main.py products refresh`` runs it
now. Messages read the saved lists (storage.products.recommendations_for), so a send never waits for training.
"""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass
from typing import Any

from app.core.context import AppContext
from journeys import recommend
from storage import products as store

log = logging.getLogger("parcours.recommendations")

MAX_EVENTS = 1_000_000
POPULAR_KEPT = 1_000


@dataclass(frozen=True)
class Refreshed:
    products: int
    contacts: int


def product_details(name: str, properties: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """Catalogue fields an e-commerce event carries, by product id (unusable values are left out)."""
    lines = properties.get("products") if name == "Order Completed" else [properties]
    out: dict[str, dict[str, Any]] = {}
    for line in lines if isinstance(lines, list) else []:
        if not isinstance(line, dict):
            continue
        for product_id, _kind in recommend.event_products(
            name if name != "Order Completed" else "Product Viewed", line
        ):
            out[product_id] = _fields(line)
    return out


def _text(value: object, limit: int, *, link: bool = False) -> str | None:
    """A usable text value; links only as http(s) addresses, as the CSV import takes them."""
    if not isinstance(value, str) or not value.strip():
        return None
    text = value.strip()[:limit]
    return None if link and not text.lower().startswith(("https://", "http://")) else text


def _fields(line: dict[str, Any]) -> dict[str, Any]:
    price = line.get("price")
    fields = {
        "name": _text(line.get("name"), 500),
        "price": float(price) if isinstance(price, int | float) and not isinstance(price, bool) else None,
        "url": _text(line.get("url"), 2000, link=True),
        "image_url": _text(line.get("image_url", line.get("image")), 2000, link=True),
    }
    if fields["price"] is not None and not (math.isfinite(fields["price"]) and fields["price"] >= 0):
        fields["price"] = None
    return {k: v for k, v in fields.items() if v is not None}


def refresh(ctx: AppContext) -> Refreshed:
    """Recompute every contact's list from the latest shop events, in one transaction."""
    now = int(ctx.clock.now().timestamp())
    interactions: list[tuple[object, str, str]] = []
    seen: dict[str, dict[str, Any]] = {}
    with ctx.db.engine.begin() as conn:
        for contact_id, name, properties in store.shop_events(conn, recommend.EVENT_KINDS, limit=MAX_EVENTS):
            interactions.extend((contact_id, p, k) for p, k in recommend.event_products(name, properties))
            seen.update(product_details(name, properties))
        by_contact = recommend.profiles(interactions)
        model = recommend.train(by_contact)
        store.save_products(conn, seen, source="event", now=now)
        popular = model.popular[:POPULAR_KEPT]
        store.save_popularity(conn, {p: float(len(popular) - rank) for rank, p in enumerate(popular)})
        lists = {c: model.recommend(p, recommend.LIST_SIZE) for c, p in by_contact.items() if isinstance(c, int)}
        store.replace_recommendations(conn, lists, now)
    log.info("recommendations refreshed: %d products, %d contacts", len(seen), len(lists))
    return Refreshed(len(seen), len(lists))
