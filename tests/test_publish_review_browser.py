"""Publish with a review, in real Chromium: the dialog lists what changed and who would be skipped while the
canvas outlines the steps added and changed; Cancel publishes nothing and clears the outlines, Publish publishes
the next version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from playwright.sync_api import Page

from app.authoring import service as svc
from app.core.context import AppContext
from journeys import document, insertion
from storage import journeys as store
from tests.auth_helpers import signed_in_page
from tests.browser import ConsoleErrors, chromium, node
from tests.conftest import load_template_dict
from tests.engine_support import add_contacts, track


def versions(ctx: AppContext, journey_id: int) -> list[int]:
    with ctx.db.session() as session:
        return [v.version for v in store.list_versions(session, journey_id=journey_id)]


def edit_draft(ctx: AppContext, journey_id: int) -> str:
    """Changes the SMS text, renames the email and adds a wait after it; returns the new step's id."""
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        data, revision = document.to_dict(document.parse(journey.draft)), journey.revision
    for step in data["nodes"]:
        if step["id"] == "sms":
            step["config"]["body"] = "Your cart misses you. Reply STOP to opt out."
        if step["id"] == "email":
            step["name"] = "Last call email"
    doc, added = insertion.grow(document.parse(data), {"type": "wait.duration", "edge": "email:next->done"})
    svc.save_draft(ctx, journey_id, doc, expected_revision=revision)
    return added


def marked(page: Page, state: str) -> set[str]:
    """Ids of the canvas steps outlined with ``state`` (added or changed)."""
    selector = f".vue-flow__node:has(.jc-mark-{state})"
    return set(page.locator(selector).evaluate_all("nodes => nodes.map(n => n.dataset.id)"))


@pytest.mark.browser
def test_publish_review_lists_changes_and_skips_and_only_confirm_publishes(server, ctx: AppContext) -> None:
    ctx.clock.advance(datetime.now(UTC) - ctx.clock.now())  # type: ignore[attr-defined]  # the server's time
    silent = add_contacts(ctx, 3, consent={"email": "subscribed"})
    track(ctx, silent, "Checkout Started")
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    svc.publish(ctx, journey_id)
    added = edit_draft(ctx, journey_id)
    errors = ConsoleErrors()
    with chromium() as browser:
        page = errors.watch(signed_in_page(browser, server.base_url, "marketer"))
        page.goto(f"{server.base_url}/journeys/{journey_id}")
        page.get_by_role("button", name="Publish").click()
        dialog = page.locator(".q-dialog")
        dialog.get_by_text("Changes from version 1:").wait_for()
        changed = dialog.locator(".q-item, .row", has_text="Changed")
        assert changed.get_by_text("Cart reminder SMS", exact=True).count() == 1
        assert changed.get_by_text("Last call email", exact=True).count() == 1
        assert dialog.get_by_text("Wait 1 hour for a purchase").count() == 0  # unchanged steps are not listed
        page.locator(".jc-mark-changed").first.wait_for()
        assert marked(page, "changed") == {"sms", "email"}
        assert marked(page, "added") == {added}
        assert node(page, added).get_by_test_id("node-mark").inner_text() == "New"
        assert node(page, "sms").get_by_test_id("node-mark").inner_text() == "Changed"
        changed.get_by_text("Last call email", exact=True).click()  # centres the canvas on that step
        node(page, "email").locator(".jc-selected").wait_for()
        dialog.get_by_text("Likely audience: 3 contacts who sent the entry event in the last 30 days.").wait_for()
        dialog.get_by_text("SMS: 3 of 3 likely recipients would be skipped: 3 without SMS consent.").wait_for()
        dialog.get_by_text("Email: all 3 likely recipients can receive it.").wait_for()
        assert dialog.get_by_role("link", name="How to collect consent").get_attribute("href") == "/help#consent"
        page.keyboard.press("Escape")  # closing it without a button ends the review too
        dialog.wait_for(state="hidden")
        page.locator(".jc-mark-changed, .jc-mark-added").first.wait_for(state="detached")
        page.get_by_role("button", name="Publish").click()
        page.locator(".jc-mark-added").wait_for()
        assert marked(page, "added") == {added}
        dialog.get_by_role("button", name="Cancel").click()
        dialog.wait_for(state="hidden")
        page.locator(".jc-mark-changed, .jc-mark-added").first.wait_for(state="detached")
        assert marked(page, "changed") == set() and page.get_by_test_id("node-mark").count() == 0
        assert versions(ctx, journey_id) == [1]
        page.get_by_role("button", name="Publish").click()
        page.locator(".q-dialog").get_by_role("button", name="Publish").click()
        page.get_by_text("Published as version 2").wait_for()
    assert versions(ctx, journey_id) == [2, 1]
    assert errors == []
