"""Settings → Shops: the shop and its secret (encrypted, shown masked), the address to paste, the deliveries."""

from __future__ import annotations

from nicegui.testing import User
from sqlalchemy import select

from app.access import audit
from app.core.context import current
from app.integrations import config
from storage.trust_models import StoredSecret
from tests.auth_helpers import login
from tests.shop_support import SHOPIFY_SECRET, contacts, fixture, post_shopify, shop_client


async def test_admin_saves_the_shopify_shop_and_secret_encrypted_and_sees_them_masked(user: User) -> None:
    await login(user, "admin", email="owner@example.com")
    await user.open("/settings")
    await user.should_see(marker="integrations-section")
    address = user.find(marker="shopify-address").elements.pop().value
    assert address.endswith("/integrations/shopify/webhooks")
    await user.should_see(marker="integrations-no-url")  # PARCOURS_PUBLIC_URL unset: the shop cannot reach this
    user.find(marker="shopify-shop").clear().type("https://Parcours-Test.myshopify.com/admin")
    user.find(marker="shopify-secret").type(SHOPIFY_SECRET)
    user.find(marker="shopify-save").click()
    await user.should_see("Shop settings saved.")
    await user.should_see(f"saved: ••••{SHOPIFY_SECRET[-4:]}")
    assert SHOPIFY_SECRET not in str(user.find(marker="shopify-secret").elements.pop().value)
    ctx = current()
    assert config.shop(ctx, "shopify") == "parcours-test.myshopify.com"
    assert config.secret(ctx, "shopify") == SHOPIFY_SECRET
    with ctx.db.engine.connect() as conn:
        stored = b"".join(bytes(row[0]) for row in conn.execute(select(StoredSecret.__table__.c.ciphertext)))
    assert SHOPIFY_SECRET.encode() not in stored
    assert [e.target for e in audit.entries(ctx, action="secret.save")] == ["shopify_app_secret"]
    assert SHOPIFY_SECRET not in str([e.details for e in audit.entries(ctx)])


async def test_a_bad_shop_domain_is_refused_naming_it(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="woocommerce-shop").type("not a domain!")
    user.find(marker="woocommerce-save").click()
    await user.should_see("Not saved: shop: not a domain name: 'not a domain!'")
    assert config.shop(current(), "woocommerce") == ""


async def test_the_last_deliveries_show_their_outcome_in_french(user: User) -> None:
    await login(user, "admin")
    with shop_client(current()) as shop:
        post_shopify(shop, "orders/paid", fixture("shopify_order_paid"), secret="forged")
        post_shopify(shop, "products/update", {"id": 1})
    await user.open("/settings")
    user.find(marker="language-switcher").elements.pop().value = "fr"
    await user.should_see("Boutiques")
    await user.should_see(marker="shopify-deliveries-table")
    rows = user.find(marker="shopify-deliveries-table").elements.pop().rows
    assert [(r["topic"], r["outcome"]) for r in rows] == [
        ("products/update", "Reçu, ignoré (200)"),
        ("orders/paid", "Refusé : signature (401)"),
    ]
    assert rows[1]["detail"] == "signature: invalid or missing signature"


async def test_only_admins_reach_the_shop_settings(user: User) -> None:
    await login(user, "marketer")
    await user.open("/settings")
    await user.should_not_see(marker="integrations-section")


async def test_a_shopify_data_request_offers_the_named_contacts_export(user: User) -> None:
    await login(user, "admin")
    ctx = current()
    with shop_client(ctx) as shop:
        post_shopify(shop, "checkouts/create", fixture("shopify_checkout_create"))
        request = post_shopify(shop, "customers/data_request", fixture("shopify_customers_data_request"))
        assert request.status_code == 200
    (contact,) = contacts(ctx)
    await user.open("/settings")
    await user.should_see("Customer data requests (Shopify)")
    await user.should_see("1 contact, export to send to the customer")
    link = user.find(marker=f"data-request-export-{contact.id}").elements.pop()
    assert link.props["href"] == f"/contacts/{contact.id}/export"  # the audited GDPR export of that person
