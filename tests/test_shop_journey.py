"""The abandoned-cart template end to end from Shopify webhooks: a checkout becomes an SMS with the checkout link
in the sandbox outbox, and a paid order makes the buyer leave and books its revenue. Journeys on today's event
names keep working."""

from __future__ import annotations

import json
from datetime import timedelta

from app.delivery.dispatch import Dispatcher
from app.tracking.payloads import Track
from app.tracking.service import ingest
from storage import revenue_queries
from tests.engine_support import enrollments, outbox, publish, run
from tests.shop_support import contacts, fixture, post_shopify, shop_client

LINK = "https://checkout.local/548380009/checkouts/123123123/recover?key=example-secret-token"


def _other_shopper() -> dict:
    checkout = fixture("shopify_checkout_create")
    checkout.update(token="777777777", email="lea@example.fr", phone="+33612345679")
    checkout["abandoned_checkout_url"] = LINK.replace("123123123", "777777777")
    checkout["billing_address"] = None
    checkout["customer"] = {**checkout["customer"], "id": 42, "email": "lea@example.fr", "phone": "+33612345679"}
    checkout["customer"]["first_name"] = "Léa"
    return checkout


def test_a_shopify_checkout_texts_the_checkout_link_and_a_paid_order_exits_the_buyer(ctx) -> None:
    journey_id = publish(ctx, "abandoned_cart")
    with shop_client(ctx) as shop:
        assert post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create")).status_code == 200
        assert post_shopify(shop, "checkouts/create", _other_shopper()).status_code == 200
        run(ctx)
        ctx.clock.advance(minutes=20)
        assert post_shopify(shop, "orders/paid", fixture("shopify_order_paid")).status_code == 200
    john, lea = contacts(ctx)
    run(ctx)
    run(ctx, after=timedelta(minutes=41))
    Dispatcher(ctx).run()
    (sms,) = outbox(ctx, channel="sms")
    assert sms.contact_id == lea.id and sms.status == "sandbox"
    assert sms.payload["body"].startswith(f"Léa, your cart is waiting: {LINK.replace('123123123', '777777777')}")
    states = {e.contact_id: (e.status, e.node_id) for e in enrollments(ctx, journey_id)}
    assert states == {john.id: ("exited", "wait_1h"), lea.id: ("active", "wait_24h")}
    with ctx.db.engine.connect() as conn:  # the paid order is booked: its subtotal, as Segment's revenue
        booked = revenue_queries.revenue_by(conn, "journey", journey_id=journey_id)
    assert [(a.key, a.currency, a.revenue, a.conversions) for a in booked] == [(journey_id, "EUR", 388.0, 1)]


def test_a_journey_on_todays_event_names_still_runs_from_the_app_events(ctx) -> None:
    old = template_on_todays_names()
    journey_id = publish(ctx, old)
    url = "https://shop.example/cart/9"
    ingest(ctx, [Track(userId="u-1", event="cart_abandoned", properties={"cart_url": url})])
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql("UPDATE contact SET phone = '+33612345670', consent = '{\"sms\": \"subscribed\"}'")
    run(ctx)
    run(ctx, after=timedelta(minutes=61))
    (sms,) = outbox(ctx, channel="sms")
    assert url in sms.payload["body"]
    assert [e.status for e in enrollments(ctx, journey_id)] == ["active"]


def template_on_todays_names() -> dict:
    """The abandoned-cart journey as it was written before the e-commerce vocabulary (stored journeys keep it)."""
    from tests.conftest import load_template_dict

    text = json.dumps(load_template_dict("abandoned_cart"))
    text = text.replace("Checkout Started", "cart_abandoned").replace("Order Completed", "order_completed")
    return json.loads(text.replace("event.checkout_url", "event.cart_url"))
