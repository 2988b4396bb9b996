"""Publish with a review, in real Chromium: the dialog lists what changed and who would be skipped; Cancel
publishes nothing, Publish publishes the next version."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from app import journey_service as svc
from app.context import AppContext
from journeys import document
from storage import journeys as store
from tests.auth_helpers import signed_in_page
from tests.browser import ConsoleErrors, chromium
from tests.conftest import load_template_dict
from tests.engine_support import add_contacts, track


def versions(ctx: AppContext, journey_id: int) -> list[int]:
    with ctx.db.session() as session:
        return [v.version for v in store.list_versions(session, journey_id=journey_id)]


def change_sms_and_rename_email(ctx: AppContext, journey_id: int) -> None:
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        data, revision = document.to_dict(document.parse(journey.draft)), journey.revision
    for node in data["nodes"]:
        if node["id"] == "sms":
            node["config"]["body"] = "Your cart misses you. Reply STOP to opt out."
        if node["id"] == "email":
            node["name"] = "Last call email"
    svc.save_draft(ctx, journey_id, document.parse(data), expected_revision=revision)


@pytest.mark.browser
def test_publish_review_lists_changes_and_skips_and_only_confirm_publishes(server, ctx: AppContext) -> None:
    ctx.clock.advance(datetime.now(UTC) - ctx.clock.now())  # type: ignore[attr-defined]  # the server's time
    silent = add_contacts(ctx, 3, consent={"email": "subscribed"})
    track(ctx, silent, "Checkout Started")
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    svc.publish(ctx, journey_id)
    change_sms_and_rename_email(ctx, journey_id)
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
        dialog.get_by_text("Likely audience: 3 contacts who sent the entry event in the last 30 days.").wait_for()
        dialog.get_by_text("SMS: 3 of 3 likely recipients would be skipped: 3 without SMS consent.").wait_for()
        dialog.get_by_text("Email: all 3 likely recipients can receive it.").wait_for()
        assert dialog.get_by_role("link", name="How to collect consent").get_attribute("href") == "/help#consent"
        dialog.get_by_role("button", name="Cancel").click()
        dialog.wait_for(state="hidden")
        assert versions(ctx, journey_id) == [1]
        page.get_by_role("button", name="Publish").click()
        page.locator(".q-dialog").get_by_role("button", name="Publish").click()
        page.get_by_text("Published as version 2").wait_for()
    assert versions(ctx, journey_id) == [2, 1]
    assert errors == []
