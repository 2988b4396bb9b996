"""WooCommerce webhooks, shaped and signed as WooCommerce sends them, to contacts and e-commerce events."""

from __future__ import annotations

import pytest

from app.integrations import config
from tests.shop_support import contacts, events, fixture, post_woo, shop_client


@pytest.fixture
def shop(ctx):
    with shop_client(ctx) as client:
        yield client


def test_the_ping_sent_when_a_webhook_is_created_is_answered_200(shop, ctx) -> None:
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    response = shop.post("/integrations/woocommerce/webhooks", content=b"webhook_id=12", headers=headers)
    assert response.status_code == 200
    assert contacts(ctx) == []


def test_a_processing_order_is_an_order_completed_event_of_the_billing_contact(shop, ctx) -> None:
    response = post_woo(shop, "order.created", fixture("woocommerce_order_processing"))
    assert response.status_code == 200, response.text
    (contact,) = contacts(ctx)
    assert (contact.email, contact.phone, contact.external_id) == ("marie.dupont@example.com", "+33612340001", None)
    assert contact.attributes["first_name"] == "Marie"
    (event,) = events(ctx)
    assert event.name == "Order Completed"
    props = event.properties
    assert (props["order_id"], props["currency"], props["total"], props["revenue"]) == ("727", "EUR", 29.35, 18.0)
    assert [p["name"] for p in props["products"]][0] == "Woo Single #1"
    # order.updated to completed later: the same paid order, stored once.
    completed = {**fixture("woocommerce_order_processing"), "status": "completed"}
    assert post_woo(shop, "order.updated", completed).status_code == 200
    assert len(events(ctx)) == 1 and len(contacts(ctx)) == 1


def test_a_refunded_order_is_an_order_refunded_event_and_a_pending_one_only_the_contact(shop, ctx) -> None:
    pending = {**fixture("woocommerce_order_processing"), "status": "pending", "customer_id": 25}
    assert post_woo(shop, "order.created", pending).status_code == 200
    assert events(ctx) == [] and contacts(ctx)[0].external_id == "woocommerce:25"
    refunded = {**fixture("woocommerce_order_processing"), "status": "refunded", "customer_id": 25}
    assert post_woo(shop, "order.updated", refunded).status_code == 200
    assert [e.name for e in events(ctx)] == ["Order Refunded"]


def test_a_customer_is_a_contact_with_the_woocommerce_id(shop, ctx) -> None:
    assert post_woo(shop, "customer.created", fixture("woocommerce_customer_created")).status_code == 200
    (contact,) = contacts(ctx)
    assert (contact.external_id, contact.email) == ("woocommerce:25", "john.doe@example.com")
    assert contact.phone is None  # not a valid number: dropped, the rest kept


def test_bad_signature_replay_unknown_topic_and_malformed_order(shop, ctx) -> None:
    order = fixture("woocommerce_order_processing")
    assert post_woo(shop, "order.created", order, secret="wrong").status_code == 401
    assert post_woo(shop, "order.created", order, delivery_id="d-1").status_code == 200
    replay = post_woo(shop, "order.created", order, delivery_id="d-1")
    assert replay.status_code == 409 and "X-WC-Webhook-Delivery-ID" in replay.json()["detail"]
    assert post_woo(shop, "coupon.created", {"id": 3}).json()["ignored"] is True
    nobody = {**order, "id": 728, "billing": {"first_name": "X"}, "customer_id": 0}
    refused = post_woo(shop, "order.created", nobody)
    assert refused.status_code == 400 and refused.json()["field"] == "billing.email"
    assert len(events(ctx)) == 1
    statuses = [d["status"] for d in config.deliveries(ctx, "woocommerce")]
    assert statuses == [400, 200, 409, 200, 401]
