"""Revenue on the analytics page and the dashboard, and the revenue settings, through the User fixture on a
real database driven by the real engine."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from nicegui.testing import User

from app.access import auth
from app.analytics.roi_words import money
from app.core.context import current
from app.delivery.workspace import load_revenue_policy, save_revenue_policy
from app.engine.engine import Engine
from journeys.revenue import RevenuePolicy
from tests.auth_helpers import create_account, login
from tests.engine_support import add_contacts, enrollments, journey, track
from tests.test_analytics_glance import frozen, one, open_analytics, rows

GOAL = {"event": "Order Completed", "window": {"amount": 7, "unit": "days"}, "exit_on_goal": False}


def shop_doc(holdout: int = 0) -> dict:
    """signup -> split A/B -> email A or B -> exit; goal Order Completed."""
    split = {"variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}]}
    return journey(
        [
            ("entry", "entry.event", {"event": "signup"}),
            ("split", "split", split),
            ("mail_a", "message.email", {"subject": "Hello A", "body": "<p>A</p>"}),
            ("mail_b", "message.email", {"subject": "Hello B", "body": "<p>B</p>"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "split"), ("split", "A", "mail_a"), ("split", "B", "mail_b")]
        + [("mail_a", "next", "done"), ("mail_b", "next", "done")],
        name="Shop",
        goal=GOAL,
        settings={"holdout_percent": holdout},
    )


def buy(contacts: list[int], **properties: object) -> None:
    ctx = current()
    track(ctx, contacts, "Order Completed", **properties)
    ctx.clock.advance(timedelta(minutes=5))  # type: ignore[attr-defined]
    Engine(ctx).run()


async def test_revenue_by_variant_and_message_with_revenue_per_recipient(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, shop_doc())
    ctx = current()
    save_revenue_policy(ctx, RevenuePolicy(currency="EUR", rates={"USD": 0.5}), actor="test")
    contacts = add_contacts(ctx, 40)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    buy(contacts[:10], revenue=30)
    buy(contacts[10:12], revenue=100, currency="USD")
    buy(contacts[12:13], total=1200, currency="JPY")
    await user.open(f"/journeys/{journey_id}/analytics")
    await user.should_see(marker="roi-revenue")
    assert one(user, "roi-revenue").text == "€400"  # 10 × 30 + 2 × 100 USD at 0.5
    assert one(user, "roi-per_recipient").text == "€10.00"  # 400 over 40 recipients
    assert one(user, "roi-unconverted").text == "Also 1,200.00 JPY not converted (no exchange rate in Settings)."
    variants = {r["c0"]: r for r in rows(user, "revenue-variants-table")}
    assert set(variants) == {"A", "B"}
    assert sum(r["c1"] for r in variants.values()) == 40
    messages = {r["c0"].split(" · ")[0]: r for r in rows(user, "revenue-messages-table")}
    assert sum(r["c2"] for r in messages.values()) == 13
    assert one(user, "roi-no-holdout").visible
    assert one(user, "revenue-variants-box").visible


async def test_holdout_uplift_in_words_and_treated_against_holdout(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, shop_doc(holdout=20))
    ctx = current()
    contacts = add_contacts(ctx, 400)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    held = {r.contact_id for r in enrollments(ctx, journey_id) if r.held_out == "holdout"}
    treated = [c for c in contacts if c not in held]
    buy(treated[::2], revenue=50)  # half of those messaged buy, a tenth of the holdout
    buy(sorted(held)[::10], revenue=50)
    await user.open(f"/journeys/{journey_id}/analytics")
    groups = {r["c0"]: r for r in rows(user, "holdout-table")}
    assert groups["Got the messages"]["c1"] == len(treated) and groups["Holdout"]["c1"] == len(held)
    assert groups["Got the messages"]["c2"] == len(treated[::2])
    assert groups["Got the messages"]["c4"] == money(50 * len(treated[::2]) / len(treated), "EUR", cents=True)
    words = one(user, "roi-uplift").text
    assert words.startswith("This journey added about €") and words.endswith("over the holdout.")
    assert one(user, "roi-rate").text.startswith("Conversion rate: +")
    assert not one(user, "roi-no-holdout").visible
    # the holdout's purchases are measured, not attributed: revenue counts only those who got the messages
    assert one(user, "roi-revenue").text == money(50 * len(treated[::2]), "EUR")


async def test_without_a_goal_revenue_reads_a_dash(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    doc = shop_doc()
    doc.pop("goal")
    journey_id = await open_analytics(user, doc)
    await user.open(f"/journeys/{journey_id}/analytics")
    assert one(user, "roi-revenue").text == "—"
    assert one(user, "roi-per_recipient").text == "—"


async def test_dashboard_shows_revenue_attributed_in_the_period(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    await open_analytics(user, shop_doc())
    ctx = current()
    await user.open("/dashboard")
    assert one(user, "period-revenue").text.startswith("—")
    contacts = add_contacts(ctx, 6)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    buy(contacts[:3], revenue=12.5)
    await user.open("/dashboard")
    assert one(user, "period-revenue").text == "€37.50"


async def test_admin_saves_currency_rates_and_control_group(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="revenue-currency").clear().type("usd")
    user.find(marker="revenue-add-rate").click()
    user.find(marker="revenue-rate-code-0").type("eur")
    user.find(marker="revenue-rate-value-0").type("1.1")
    user.find(marker="revenue-control-group").clear().type("5")
    user.find(marker="revenue-save").click()
    await user.should_see("Revenue settings saved.")
    assert load_revenue_policy(current()) == RevenuePolicy(currency="USD", rates={"EUR": 1.1}, control_group_percent=5)


async def test_bad_revenue_settings_are_refused_naming_the_field_and_nothing_is_saved(user: User) -> None:
    await login(user, "admin")
    await user.open("/settings")
    user.find(marker="revenue-control-group").clear().type("80")
    user.find(marker="revenue-save").click()
    await user.should_see("control group")
    assert load_revenue_policy(current()) == RevenuePolicy()


async def test_a_demoted_admin_cannot_save_revenue_settings_from_an_open_tab(user: User) -> None:
    create_account(current(), "admin", "boss@example.com", "Boss")  # the last admin cannot be demoted
    email = await login(user, "admin")
    await user.open("/settings")
    user.find(marker="revenue-control-group").clear().type("10")
    auth.change_role(current(), email=email, role="marketer", actor="boss@example.com")
    user.find(marker="revenue-save").click()
    await user.should_see("Your role no longer allows this (it needs Administrator). Nothing was changed.")
    assert load_revenue_policy(current()) == RevenuePolicy()


async def test_dashboard_compares_everyone_with_the_workspace_control_group(user: User) -> None:
    frozen(datetime(2026, 12, 3, 9, 0, tzinfo=UTC))
    journey_id = await open_analytics(user, shop_doc())
    ctx = current()
    save_revenue_policy(ctx, RevenuePolicy(control_group_percent=20), actor="test")
    contacts = add_contacts(ctx, 400)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    group = {r.contact_id for r in enrollments(ctx, journey_id) if r.held_out == "control_group"}
    assert 50 <= len(group) <= 110
    treated = [c for c in contacts if c not in group]
    buy(treated[::2], revenue=40)
    buy(sorted(group)[::10], revenue=40)
    await user.open("/dashboard")
    assert one(user, "period-revenue").text == money(40 * len(treated[::2]), "EUR")
    words = one(user, "programme-uplift").text
    assert words.startswith("Your journeys added about €") and words.endswith("over the control group.")
