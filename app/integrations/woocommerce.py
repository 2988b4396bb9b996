"""WooCommerce webhooks mapped to contacts and Segment e-commerce events.

Topics: order.created and order.updated -> ``Order Completed`` once the order is processing or completed (paid),
``Order Refunded`` once it is refunded; customer.created and customer.updated -> the contact only. WooCommerce
names no marketing consent, so consent is left as it is. MessageIds derive from the order id and status, so a
retry or a later order.updated of the same paid order is stored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.core.context import AppContext
from app.integrations import ecommerce
from app.integrations.people import Person, ShopError, amount, currency, messages, obj, person, require, text
from app.integrations.receiver import Mapper, Plan

NAME = "woocommerce"
PAID = frozenset({"processing", "completed"})


def _person(ctx: AppContext, data: Mapping[str, Any], customer_id: Any) -> Person:
    billing = obj(data, "billing")
    who = person(
        NAME,
        customer_id=customer_id,
        email=data.get("email") or billing.get("email"),
        phone=billing.get("phone") or obj(data, "shipping").get("phone"),
        region=ctx.settings.default_region,
    )
    for key in ("first_name", "last_name"):
        if value := text(data.get(key)) or text(billing.get(key)):
            who.traits[key] = value
    return who


def order(ctx: AppContext, data: dict[str, Any]) -> Plan:
    order_id = text(data.get("id"))
    if not order_id:
        raise ShopError("id", "required (the order id)")
    status = text(data.get("status")) or ""
    who = _person(ctx, data, data.get("customer_id"))
    require(who, "billing.email")
    if status in PAID:
        event, key = ecommerce.ORDER_COMPLETED, f"woocommerce:order:{order_id}:completed"
    elif status == "refunded":
        event, key = ecommerce.ORDER_REFUNDED, f"woocommerce:order:{order_id}:refunded"
    else:
        return Plan(messages(ctx, who), note=f"contact only: order {status or 'without status'}")
    return Plan(messages(ctx, who, event, _properties(data, order_id), key=key))


def _properties(data: Mapping[str, Any], order_id: str) -> dict[str, Any]:
    items = ecommerce.products(data.get("line_items"), name_key="name")
    lines = data.get("line_items") or []
    # Line totals are after discounts, before tax and shipping: Segment's revenue.
    revenue = sum(amount(line, "total", where="line_items") or 0.0 for line in lines if isinstance(line, Mapping))
    return ecommerce.compact(
        {
            "order_id": order_id,
            "checkout_id": text(data.get("order_key")),
            "total": amount(data, "total", required=True),
            "revenue": round(revenue, 2) if lines else amount(data, "total"),
            "tax": amount(data, "total_tax"),
            "shipping": amount(data, "shipping_total"),
            "discount": amount(data, "discount_total"),
            "currency": currency(data),
            "products": items,
        }
    )


def customer(ctx: AppContext, data: dict[str, Any]) -> Plan:
    who = _person(ctx, data, data.get("id"))
    require(who, "email")
    return Plan(messages(ctx, who))


MAPPERS: dict[str, Mapper] = {
    "order.created": order,
    "order.updated": order,
    "customer.created": customer,
    "customer.updated": customer,
}
