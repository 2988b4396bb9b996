"""The analytics page in real Chromium: "no data yet" turns into charts live, names show as typed, reasons link;
an A/B journey's funnel names each variant in its legend."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app.core.context import AppContext
from app.engine.engine import Engine
from journeys.clock import FrozenClock
from tests.auth_helpers import signed_in_page
from tests.browser import ConsoleErrors, chromium
from tests.engine_support import add_contacts, journey, publish, track
from tests.test_split_funnel import welcome_doc

NAME = '<b>Cart</b> & <img src=x onerror="window.hacked=1">'


def cart_doc() -> dict:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "checkout_started"}),
            ("sms", "message.sms", {"body": "Your cart misses you"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "sms"), ("sms", "next", "done")],
        name="Abandoned cart",
    )
    doc["nodes"][1]["name"] = NAME
    return doc


@pytest.mark.browser
def test_analytics_page_reads_at_a_glance_in_chromium(server, ctx: AppContext) -> None:
    ctx.clock = FrozenClock(datetime.now(UTC))  # the server reads "now" from the wall clock
    journey_id = publish(ctx, cart_doc())
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "viewer"))
        page.goto(f"{server.base_url}/journeys/{journey_id}/analytics")
        page.get_by_text("No data yet: nobody has entered this journey in this period.").wait_for()
        assert page.locator(".js-plotly-plot:visible").count() == 0  # no empty axes
        assert page.get_by_text("No goal is set for this journey").is_visible()

        contacts = add_contacts(ctx, 4, consent={})  # identify-created contacts: no consent yet
        track(ctx, contacts, "checkout_started")
        Engine(ctx).run()
        funnel = page.locator(".js-plotly-plot").first
        funnel.locator("g.trace text").first.wait_for(timeout=30_000)  # without a reload (a slow shared machine)
        ticks = funnel.locator(".ytick text").evaluate_all("els => els.map(e => e.textContent)")
        assert sorted(ticks) == sorted(["Entered the journey", f"{NAME} · SMS: Your cart misses you"]), ticks
        assert page.evaluate("() => window.hacked") is None
        assert "trace 0" not in page.locator("body").inner_text()
        assert funnel.locator(".legend").count() == 0

        fix = page.get_by_role("link", name="Review the consent policy in Settings")
        assert fix.get_attribute("href") == "/settings"
        assert page.get_by_role("cell", name="No consent for this channel").is_visible()
        step = page.get_by_title("sms", exact=True)
        assert step.inner_text() == f"{NAME} · SMS: Your cart misses you"
        rate = page.locator(".q-card").filter(has_text="Conversion rate").first
        assert rate.inner_text().split("\n")[-1] == "—"
    assert errors == []


@pytest.mark.browser
def test_a_b_funnel_shows_each_variant_by_name_in_the_legend(server, ctx: AppContext) -> None:
    ctx.clock = FrozenClock(datetime.now(UTC))
    journey_id = publish(ctx, welcome_doc())
    track(ctx, add_contacts(ctx, 12), "signup")
    Engine(ctx).run()
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "viewer"))
        page.goto(f"{server.base_url}/journeys/{journey_id}/analytics")
        funnel = page.locator(".js-plotly-plot").first
        funnel.locator(".legend .traces").first.wait_for(timeout=30_000)
        legend = funnel.locator(".legend .traces text").evaluate_all("els => els.map(e => e.textContent)")
        assert legend == ["All contacts", "Short <b>& sweet</b>", "Two touches", "Holdout (control)"]
        top_down = "els => els.sort((a, b) => a.getBoundingClientRect().y - b.getBoundingClientRect().y)"
        ticks = funnel.locator(".ytick text").evaluate_all(f"{top_down}.map(e => e.textContent)")
        assert ticks[:3] == ["Entered the journey", "Push: Welcome", "In the variant"], ticks  # as the journey runs
    assert errors == []
