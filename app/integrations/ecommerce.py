"""Segment's e-commerce spec (v2) as Parcours stores it: event names and the properties journeys can use.

See docs/ECOMMERCE.md. Amounts are numbers in the order's currency; ``revenue`` includes discounts and
excludes shipping and taxes, ``total`` is what the customer paid, as in Segment's spec.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.integrations.people import ShopError, amount, text

PRODUCT_VIEWED = "Product Viewed"
PRODUCT_ADDED = "Product Added"
CART_VIEWED = "Cart Viewed"
CHECKOUT_STARTED = "Checkout Started"
ORDER_COMPLETED = "Order Completed"
ORDER_REFUNDED = "Order Refunded"
EVENTS = (PRODUCT_VIEWED, PRODUCT_ADDED, CART_VIEWED, CHECKOUT_STARTED, ORDER_COMPLETED, ORDER_REFUNDED)
MAX_PRODUCTS = 200  # a larger order keeps its first 200 lines in the event (the totals stay exact)


def products(items: Any, *, name_key: str, where: str = "line_items") -> list[dict[str, Any]]:
    """Segment ``products`` from a shop's line items (``title`` at Shopify, ``name`` at WooCommerce)."""
    if items is None:
        return []
    if not isinstance(items, list):
        raise ShopError(where, "must be a list")
    out = []
    for index, item in enumerate(items[:MAX_PRODUCTS]):
        if not isinstance(item, Mapping):
            raise ShopError(f"{where}[{index}]", "must be an object")
        product = {
            "product_id": text(item.get("product_id")),
            "variant": text(item.get("variant_id")),
            "sku": text(item.get("sku")),
            "name": text(item.get(name_key)),
            "price": amount(item, "price", where=f"{where}[{index}]"),
            "quantity": _quantity(item.get("quantity"), f"{where}[{index}].quantity"),
        }
        out.append({key: value for key, value in product.items() if value is not None})
    return out


def _quantity(value: Any, where: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != int(value) or abs(value) > 10**9:
        raise ShopError(where, "must be a whole number")
    return int(value)


def compact(properties: dict[str, Any]) -> dict[str, Any]:
    """The properties without the empty ones (a missing tax is absent, not null)."""
    return {key: value for key, value in properties.items() if value is not None and value != ""}
