"""Shopify webhooks mapped to contacts and Segment e-commerce events.

Topics: checkouts/create and checkouts/update -> ``Checkout Started`` (with ``checkout_url``, Shopify's
abandoned checkout link), orders/paid -> ``Order Completed``, refunds/create -> ``Order Refunded``,
orders/create, customers/create and customers/update -> the contact only; the mandatory privacy webhooks
customers/data_request, customers/redact and shop/redact. Event messageIds derive from Shopify's own object ids
(checkout token, order id, refund id), so a retry, a checkouts/update of the same checkout or an order sent again
under a new webhook id is stored once.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from app.access import audit
from app.core.context import AppContext
from app.integrations import ecommerce
from app.integrations.people import Person, ShopError, amount, currency, messages, obj, person, require, text, track_for
from app.integrations.receiver import Mapper, Plan
from app.privacy import gdpr
from storage import integrations as store

NAME = "shopify"
# Shopify's consent states; pending, redacted and invalid leave the contact's consent as it is.
CONSENT = {"subscribed": "subscribed", "unsubscribed": "unsubscribed", "not_subscribed": "unsubscribed"}


def _consent(customer: Mapping[str, Any], data: Mapping[str, Any]) -> dict[str, str]:
    """Marketing consent as Shopify states it on the customer (or, for a guest, the checkout's boxes)."""
    out: dict[str, str] = {}
    for channel, key, box in (
        ("email", "email_marketing_consent", "buyer_accepts_marketing"),
        ("sms", "sms_marketing_consent", "buyer_accepts_sms_marketing"),
    ):
        stated = customer.get(key)
        if isinstance(stated, Mapping) and stated.get("state") in CONSENT:
            out[channel] = CONSENT[stated["state"]]
        elif data.get(box) is True:
            out[channel] = "subscribed"
    return out


def _person(ctx: AppContext, data: Mapping[str, Any], customer: Mapping[str, Any]) -> Person:
    """The buyer of a checkout or order, or the customer of a customers/* webhook (``data`` is ``customer``)."""
    addresses = [
        obj(data, "billing_address"),
        obj(data, "shipping_address"),
        obj(customer, "default_address"),
    ]
    phones = [data.get("phone"), customer.get("phone"), data.get("sms_marketing_phone")]
    phones += [address.get("phone") for address in addresses]
    who = person(
        NAME,
        customer_id=customer.get("id"),
        email=data.get("email") or customer.get("email"),
        phone=next((p for p in phones if text(p)), None),
        region=ctx.settings.default_region,
    )
    for key in ("first_name", "last_name"):
        value = customer.get(key) or next((a.get(key) for a in addresses if a.get(key)), None)
        if text(value):
            who.traits[key] = text(value)
    if consent := _consent(customer, data):
        who.traits["consent"] = consent
    return who


def _order_properties(data: Mapping[str, Any]) -> dict[str, Any]:
    shipping = obj(obj(data, "total_shipping_price_set"), "shop_money")
    total, subtotal = amount(data, "total_price", required=True), amount(data, "subtotal_price")
    return ecommerce.compact(
        {
            "order_id": text(data.get("id")),
            "checkout_id": text(data.get("checkout_token")),
            "total": total,
            "revenue": total if subtotal is None else subtotal,
            "tax": amount(data, "total_tax"),
            "shipping": amount(shipping, "amount", where="total_shipping_price_set.shop_money"),
            "discount": amount(data, "total_discounts"),
            "currency": currency(data),
            "products": ecommerce.products(data.get("line_items"), name_key="title"),
        }
    )


def checkout(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """``Checkout Started`` once per checkout; a completed checkout or one naming nobody yet is ignored."""
    token = text(data.get("token")) or text(data.get("id"))
    if not token:
        raise ShopError("token", "required")
    if data.get("completed_at"):
        return Plan(note="ignored: checkout completed")
    who = _person(ctx, data, obj(data, "customer"))
    if not who.known():
        return Plan(note="ignored: no email, phone or customer yet")
    properties = ecommerce.compact(
        {
            "checkout_id": token,
            "checkout_url": text(data.get("abandoned_checkout_url")),
            "value": amount(data, "total_price"),
            "revenue": amount(data, "subtotal_price"),
            "currency": currency(data),
            "products": ecommerce.products(data.get("line_items"), name_key="title"),
        }
    )
    key = f"shopify:checkout:{token}"
    return Plan(messages(ctx, who, ecommerce.CHECKOUT_STARTED, properties, key=key))


def order_paid(ctx: AppContext, data: dict[str, Any]) -> Plan:
    order_id = _order_id(data)
    who = _person(ctx, data, obj(data, "customer"))
    require(who, "email")
    properties = _order_properties(data)
    return Plan(messages(ctx, who, ecommerce.ORDER_COMPLETED, properties, key=f"shopify:order:{order_id}:completed"))


def order_created(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """The buyer's contact and consent; the event waits for orders/paid."""
    _order_id(data)
    who = _person(ctx, data, obj(data, "customer"))
    require(who, "email")
    return Plan(messages(ctx, who))


def _order_id(data: Mapping[str, Any]) -> str:
    order_id = text(data.get("id"))
    if not order_id:
        raise ShopError("id", "required (the order id)")
    return order_id


def customer(ctx: AppContext, data: dict[str, Any]) -> Plan:
    who = _person(ctx, data, data)
    require(who, "email")
    return Plan(messages(ctx, who))


def refund(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """``Order Refunded`` for the contact whose order it was (refund webhooks name no customer)."""
    refund_id, order_id = text(data.get("id")), text(data.get("order_id"))
    if not refund_id or not order_id:
        raise ShopError("id" if not refund_id else "order_id", "required")
    transactions = data.get("transactions") or []
    if not isinstance(transactions, list) or not all(isinstance(t, Mapping) for t in transactions):
        raise ShopError("transactions", "must be a list of objects")
    refunds = [t for t in transactions if t.get("kind") == "refund" and t.get("status", "success") == "success"]
    total = round(sum(amount(t, "amount", where="transactions") or 0.0 for t in refunds), 2)
    items = [i.get("line_item") for i in data.get("refund_line_items") or [] if isinstance(i, Mapping)]
    with ctx.db.session() as session:
        buyer = store.person_of_event(session, message_id=f"shopify:order:{order_id}:completed")
    if buyer is None:
        return Plan(note="ignored: order not received as paid")
    properties = ecommerce.compact(
        {
            "order_id": order_id,
            "total": total,
            "revenue": total,
            "currency": text(refunds[0].get("currency")) if refunds else None,
            "products": ecommerce.products([i for i in items if isinstance(i, Mapping)], name_key="title"),
        }
    )
    track = track_for(buyer, ecommerce.ORDER_REFUNDED, properties, key=f"shopify:refund:{refund_id}")
    return Plan([track]) if track else Plan(note="ignored: order not received as paid")


def _named(ctx: AppContext, data: Mapping[str, Any]) -> list[int]:
    """Our contacts a privacy webhook's ``customer`` names (by Shopify id, email or phone)."""
    who = _person(ctx, {}, obj(data, "customer"))
    with ctx.db.session() as session:
        return store.people_named(session, external_id=who.source_id, email=who.email, phone=who.phone)


def data_request(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """A customer asked the shop for their data: recorded in the audit log with the contacts it names, whose
    GDPR export (the contact's privacy page, or GET /api/v1/contacts/{id}/export) the shop owner sends them."""
    request_id = text(obj(data, "data_request").get("id")) or ""

    def record(ctx: AppContext) -> str:
        contact_ids = _named(ctx, data)
        details = {"data_request": request_id, "contacts": ", ".join(f"contact:{c}" for c in contact_ids)}
        audit.record(ctx, "shopify", "shopify.data_request", text(data.get("shop_domain")) or "", details)
        return f"data request recorded: {len(contact_ids)} contact(s) to export"

    return Plan(action=record)


def redact_customer(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """Erase every contact the request names, as our own GDPR erasure does (no PII left, re-creation blocked)."""

    def erase(ctx: AppContext) -> str:
        contact_ids = _named(ctx, data)
        for contact_id in contact_ids:
            try:
                gdpr.erase_contact(ctx, contact_id, actor="shopify")
            except gdpr.UnknownContact:
                continue  # erased meanwhile (merged into another named one)
        return f"customer redacted: {len(contact_ids)} contact(s) erased"

    return Plan(action=erase)


def redact_shop(ctx: AppContext, data: dict[str, Any]) -> Plan:
    """The shop uninstalled the app 48 hours ago: acknowledged and audited (contacts stay, they are ours too)."""

    def acknowledge(ctx: AppContext) -> str:
        audit.record(ctx, "shopify", "shopify.shop_redact", text(data.get("shop_domain")) or "")
        return "shop redact acknowledged"

    return Plan(action=acknowledge)


MAPPERS: dict[str, Mapper] = {
    "checkouts/create": checkout,
    "checkouts/update": checkout,
    "orders/create": order_created,
    "orders/paid": order_paid,
    "refunds/create": refund,
    "customers/create": customer,
    "customers/update": customer,
    "customers/data_request": data_request,
    "customers/redact": redact_customer,
    "shop/redact": redact_shop,
}
