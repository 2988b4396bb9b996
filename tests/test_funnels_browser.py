"""The dashboard in real Chromium: the funnel renders with the right numbers and follows new entries live."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, Page, sync_playwright

from app.core.context import AppContext
from app.engine.engine import Engine
from journeys.clock import FrozenClock
from tests.auth_helpers import signed_in_page
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _enter(ctx: AppContext, people: int, buyers: int) -> None:
    contacts = add_contacts(ctx, people)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    track(ctx, contacts[:buyers], "purchase")
    Engine(ctx).run()


def _funnel_values(page: Page) -> list[str]:
    """The numbers Plotly drew in the funnel bars (text inside the first plot's SVG)."""
    return (
        page.locator(".js-plotly-plot").first.locator("g.trace text").evaluate_all("els => els.map(e => e.textContent)")
    )


@pytest.mark.browser
def test_dashboard_funnel_renders_right_numbers_and_updates_live(server, ctx: AppContext) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    ctx.clock = FrozenClock(datetime.now(UTC))  # the server reads "today" from the wall clock
    publish(ctx, experiment_doc(name="Welcome series"))
    _enter(ctx, 12, 3)
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = signed_in_page(browser, server.base_url, "viewer")  # managers read dashboards as viewers
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.base_url + "/dashboard")
            page.locator(".js-plotly-plot g.trace text").first.wait_for(timeout=15_000)
            values = _funnel_values(page)
            assert values[0].startswith("12") and values[1].startswith("12") and values[-1].startswith("3"), values
            page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
            _enter(ctx, 5, 1)  # same database as the server: the page must follow without a reload
            page.wait_for_function(
                "() => [...document.querySelectorAll('.js-plotly-plot')][0]"
                ".querySelector('g.trace text')?.textContent.startsWith('17')",
                timeout=3_000,
            )
            assert _funnel_values(page)[-1].startswith("4")
            page.get_by_role("button", name="Table").first.click()
            page.get_by_role("cell", name="Entered", exact=True).first.wait_for()
            row = page.get_by_role("row").filter(has_text="Converted").first
            assert "4" in row.inner_text()
            page.get_by_role("link", name="Welcome series").click()
            page.get_by_text("Analytics: Welcome series").wait_for()
            page.locator(".js-plotly-plot g.trace text").first.wait_for(timeout=15_000)
            page.screenshot(path=str(ARTIFACTS / "journey-analytics.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
