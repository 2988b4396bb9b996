"""Shopify webhooks, shaped and signed as Shopify sends them, to contacts and Segment e-commerce events."""

from __future__ import annotations

import json

import pytest

from app.access import audit
from app.integrations import config
from tests.shop_support import contacts, events, fixture, post_shopify, shop_client


@pytest.fixture
def shop(ctx):
    with shop_client(ctx) as client:
        yield client


def test_a_checkout_creates_the_contact_with_shopify_consent_and_a_checkout_started_event(shop, ctx) -> None:
    response = post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create"))
    assert response.status_code == 200, response.text
    (contact,) = contacts(ctx)
    assert (contact.external_id, contact.email, contact.phone) == (
        "shopify:603851970716743426",
        "john@example.com",
        "+33612345678",
    )
    assert contact.consent == {"email": "subscribed", "sms": "subscribed"}
    assert contact.attributes["first_name"] == "John"
    (event,) = events(ctx)
    assert event.name == "Checkout Started"
    assert event.properties["checkout_url"].startswith("https://checkout.local/548380009/checkouts/123123123/recover")
    assert (event.properties["checkout_id"], event.properties["currency"]) == ("123123123", "EUR")
    assert event.properties["products"] == [
        {
            "product_id": "632910392",
            "variant": "808950810",
            "sku": "IPOD2008PINK",
            "name": "IPod Nano - 8GB",
            "price": 199.0,
            "quantity": 2,
        }
    ]


def test_a_wrong_or_missing_signature_is_refused_with_401_logged_and_nothing_stored(shop, ctx) -> None:
    body = fixture("shopify_order_paid")
    wrong = post_shopify(shop, "orders/paid", body, secret="not-the-app-secret")
    raw = json.dumps(body).encode()
    unsigned = shop.post("/integrations/shopify/webhooks", content=raw, headers={"X-Shopify-Topic": "orders/paid"})
    assert (wrong.status_code, unsigned.status_code) == (401, 401)
    assert contacts(ctx) == [] and events(ctx) == []
    logged = config.deliveries(ctx, "shopify")
    assert [(d["topic"], d["status"]) for d in logged] == [("orders/paid", 401), ("orders/paid", 401)]
    assert "signature" in logged[0]["reason"]


def test_a_replayed_webhook_id_is_refused_with_409_and_stored_once(shop, ctx) -> None:
    body = fixture("shopify_order_paid")
    first = post_shopify(shop, "orders/paid", body, webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    again = post_shopify(shop, "orders/paid", body, webhook_id="b54557e4-bdd9-4b37-8a5f-bf7d70bcd043")
    assert (first.status_code, again.status_code) == (200, 409)
    assert "X-Shopify-Webhook-Id" in again.json()["detail"]
    assert [e.name for e in events(ctx)] == ["Order Completed"]
    # The same order sent again under a new webhook id (Shopify's "resend") is still one event.
    assert post_shopify(shop, "orders/paid", body).status_code == 200
    assert len(events(ctx)) == 1


def test_an_unknown_topic_is_acknowledged_and_ignored(shop, ctx) -> None:
    response = post_shopify(shop, "products/update", {"id": 1, "title": "IPod"})
    assert response.status_code == 200 and response.json()["ignored"] is True
    assert contacts(ctx) == [] and events(ctx) == []
    assert config.deliveries(ctx, "shopify")[0]["reason"] == "ignored: unknown topic"


def test_an_order_naming_nobody_or_bad_json_is_refused_with_400_naming_the_field(shop, ctx) -> None:
    order = fixture("shopify_order_paid")
    for key in ("email", "contact_email", "phone", "customer", "billing_address"):
        order.pop(key)
    nobody = post_shopify(shop, "orders/paid", order)
    assert nobody.status_code == 400 and nobody.json()["field"] == "email"
    bad_json = post_shopify(shop, "orders/paid", b'{"id": 1, "email": ')
    assert bad_json.status_code == 400 and bad_json.json()["field"] == "body"
    bad_total = post_shopify(shop, "orders/paid", {**fixture("shopify_order_paid"), "total_price": "lots"})
    assert bad_total.status_code == 400 and bad_total.json()["detail"].startswith("total_price: not an amount")
    assert contacts(ctx) == [] and events(ctx) == []
    # Refused deliveries do not burn their id: the corrected retry is stored.
    assert post_shopify(shop, "orders/paid", fixture("shopify_order_paid")).status_code == 200


def test_a_paid_order_carries_revenue_currency_order_id_and_products(shop, ctx) -> None:
    assert post_shopify(shop, "orders/paid", fixture("shopify_order_paid")).status_code == 200
    (event,) = events(ctx)
    assert event.name == "Order Completed"
    props = event.properties
    assert (props["order_id"], props["checkout_id"], props["currency"]) == ("820982911946154508", "123123123", "EUR")
    assert (props["revenue"], props["total"], props["shipping"], props["discount"]) == (388.0, 408.0, 20.0, 10.0)
    assert props["products"][0]["sku"] == "IPOD2008PINK"
    (contact,) = contacts(ctx)
    assert contact.consent == {"email": "subscribed"}  # Shopify states no SMS consent for this customer


def test_a_refund_is_an_order_refunded_event_of_the_buyer(shop, ctx) -> None:
    assert post_shopify(shop, "refunds/create", fixture("shopify_refund_create")).json()["detail"].startswith("ignored")
    post_shopify(shop, "orders/paid", fixture("shopify_order_paid"))
    assert post_shopify(shop, "refunds/create", fixture("shopify_refund_create")).status_code == 200
    paid, refunded = events(ctx)
    assert refunded.name == "Order Refunded" and refunded.contact_id == paid.contact_id
    assert (refunded.properties["order_id"], refunded.properties["total"]) == ("820982911946154508", 199.0)


def test_a_known_contact_is_found_by_email_and_keeps_its_own_external_id(shop, ctx) -> None:
    from tests.engine_support import add_contacts

    (known,) = add_contacts(ctx, 1, email="john@example.com", external_id="crm-42", consent={})
    post_shopify(shop, "customers/create", {**fixture("shopify_customer_create"), "email": "john@example.com"})
    (contact,) = contacts(ctx)
    assert (contact.id, contact.external_id) == (known, "crm-42")
    assert contact.attributes["shopify_customer_id"] == "706405506930370084"
    assert contact.consent == {"email": "unsubscribed", "sms": "subscribed"}  # not_subscribed is no consent


def test_a_checkout_completed_or_naming_nobody_yet_stores_nothing(shop, ctx) -> None:
    done = {**fixture("shopify_checkout_create"), "completed_at": "2026-01-05T10:20:00+01:00"}
    assert post_shopify(shop, "checkouts/update", done).status_code == 200
    anonymous = {**fixture("shopify_checkout_create"), "email": None, "phone": None, "customer": None}
    anonymous["billing_address"] = None
    assert post_shopify(shop, "checkouts/create", anonymous).status_code == 200
    assert events(ctx) == [] and contacts(ctx) == []


def test_a_delivery_from_another_shop_is_refused(shop, ctx) -> None:
    raw = json.dumps(fixture("shopify_customer_create")).encode()
    from tests.shop_support import shopify_headers

    headers = {**shopify_headers("customers/create", raw), "X-Shopify-Shop-Domain": "other.myshopify.com"}
    assert shop.post("/integrations/shopify/webhooks", content=raw, headers=headers).status_code == 401
    assert contacts(ctx) == []


def test_data_request_and_shop_redact_are_recorded_in_the_audit_log(shop, ctx) -> None:
    post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create"))
    (contact,) = contacts(ctx)
    assert post_shopify(shop, "customers/data_request", fixture("shopify_customers_data_request")).status_code == 200
    (entry,) = audit.entries(ctx, action="shopify.data_request")
    assert entry.details == {"data_request": "9999", "contacts": f"contact:{contact.id}"}
    assert "john@example.com" not in str(entry.details)
    assert post_shopify(shop, "shop/redact", fixture("shopify_shop_redact")).status_code == 200
    assert [e.target for e in audit.entries(ctx, action="shopify.shop_redact")] == ["parcours-test.myshopify.com"]
    assert config.deliveries(ctx, "shopify")[0]["reason"] == "shop redact acknowledged"


def test_a_guest_checkout_becomes_the_customer_once_shopify_names_them(shop, ctx) -> None:
    guest = {**fixture("shopify_checkout_create"), "customer": None}
    assert post_shopify(shop, "checkouts/create", guest).status_code == 200
    (contact,) = contacts(ctx)
    assert contact.external_id is None and contact.anonymous_id.startswith("shopify-guest:")
    post_shopify(shop, "orders/paid", fixture("shopify_order_paid"))
    (contact,) = contacts(ctx)
    assert contact.external_id == "shopify:603851970716743426"
    assert [e.contact_id for e in events(ctx)] == [contact.id, contact.id]


def test_the_delivery_log_forgets_deliveries_older_than_30_days(shop, ctx, monkeypatch) -> None:
    from app.integrations import receiver

    monkeypatch.setattr(receiver, "PRUNE_EVERY", 2)
    post_shopify(shop, "products/update", {"id": 1})
    ctx.clock.advance(days=31)
    post_shopify(shop, "customers/create", fixture("shopify_customer_create"))  # accepted: row 2 prunes
    assert [d["topic"] for d in config.deliveries(ctx, "shopify")] == ["customers/create"]
    post_shopify(shop, "products/update", {"id": 2})
    ctx.clock.advance(days=31)
    post_shopify(shop, "products/update", {"id": 3})  # ignored: row 4 prunes too
    assert [d["topic"] for d in config.deliveries(ctx, "shopify")] == ["products/update"]


def test_hostile_payloads_are_answered_400_or_200_never_500_and_store_nothing(shop, ctx) -> None:
    order = fixture("shopify_order_paid")
    variants = [
        {**order, "customer": "not an object"},
        {**order, "line_items": {"0": 1}},
        {**order, "line_items": [{"price": "NaN"}]},
        {**order, "line_items": [{"price": "1.00", "quantity": 1.5}]},
        {**order, "currency": "€"},
        {**order, "id": None},
        {**order, "customer": {**order["customer"], "id": "9" * 300}},
        {**order, "total_price": True},
        {**order, "email": "x" * 400, "customer": None, "billing_address": None},
        [order],
    ]
    for body in variants:
        raw = json.dumps(body).encode()
        response = post_shopify(shop, "orders/paid", raw)
        assert response.status_code == 400, (response.text, body if isinstance(body, list) else None)
        assert response.json()["field"]
    bad_email = post_shopify(
        shop, "orders/paid", {**order, "email": "nobody@", "customer": None, "billing_address": None}
    )
    assert bad_email.json()["detail"].startswith("email: not a valid email address")
    refund = {**fixture("shopify_refund_create"), "transactions": "many"}
    assert post_shopify(shop, "refunds/create", refund).status_code == 400
    assert events(ctx) == [] and contacts(ctx) == []
