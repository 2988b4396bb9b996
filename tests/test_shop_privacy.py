"""Shopify's mandatory privacy webhooks run our GDPR erasure: no trace of the customer is left in the file."""

from __future__ import annotations

from app.access import audit
from tests.shop_support import contacts, events, fixture, post_shopify, shop_client
from tests.stored_bytes import stored_bytes

EMAIL, PHONE, SHOPIFY_ID = b"john@example.com", b"+33612345678", b"603851970716743426"


def _file_bytes(ctx) -> bytes:
    return stored_bytes(ctx)


def test_customers_redact_erases_the_contact_and_leaves_no_personal_data(ctx) -> None:
    with shop_client(ctx) as shop:
        post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create"))
        post_shopify(shop, "orders/paid", fixture("shopify_order_paid"))
        post_shopify(shop, "customers/create", fixture("shopify_customer_create"))  # someone else, kept
        before = _file_bytes(ctx)
        assert EMAIL in before and PHONE in before and SHOPIFY_ID in before
        response = post_shopify(shop, "customers/redact", fixture("shopify_customers_redact"))
        assert response.status_code == 200 and response.json()["detail"] == "customer redacted: 1 contact(s) erased"
        after = _file_bytes(ctx)
        for trace in (EMAIL, PHONE, SHOPIFY_ID, b"checkouts/123123123/recover"):
            assert trace not in after, trace
        assert [c.email for c in contacts(ctx)] == ["bob@biller.com"]
        assert events(ctx) == []
        (entry,) = audit.entries(ctx, action="contact.erase")
        assert entry.actor == "shopify"
        # The erased customer's next checkout is acknowledged (or Shopify would retry it for days) and not stored:
        # our erasure blocks re-creation.
        again = post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create"))
        assert again.json() == {"ok": True, "ignored": True, "detail": "ignored: this person was erased"}
        assert len(contacts(ctx)) == 1 and events(ctx) == []
