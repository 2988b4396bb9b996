"""Calm saving in real Chromium: typing saves when it pauses or on leaving the field, one revision per change."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Locator, Page

from app.authoring import service as svc
from app.core.context import AppContext
from journeys import document
from storage import journeys as store
from tests.auth_helpers import signed_in_page
from tests.browser import VIEWPORT, ConsoleErrors, chromium, node, wait_until
from tests.conftest import load_template_dict
from tests.test_builder_browser import text_field

pytestmark = pytest.mark.browser


@pytest.fixture
def page(server) -> Iterator[Page]:  # noqa: ANN001
    errors = ConsoleErrors()
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT)
        context.on("page", errors.watch)
        yield signed_in_page(context, server.base_url, "marketer")
    assert errors == [], f"browser console errors: {errors}"


def saved(ctx: AppContext, journey_id: int) -> tuple[document.JourneyDocument, int]:
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        return document.parse(journey.draft), journey.revision


def open_sms_field(server, ctx: AppContext, page: Page, key: str) -> tuple[int, int, Locator]:  # noqa: ANN001
    """The cart journey's SMS step open in the side panel: (journey id, revision, emptied field ``key``)."""
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    page.goto(f"{server.base_url}/journeys/{journey_id}")
    node(page, "sms").click()
    field = text_field(page, key)
    field.wait_for()
    _, before = saved(ctx, journey_id)
    field.fill("")
    return journey_id, before, field


def test_typing_a_name_makes_one_or_two_revisions_not_one_per_keystroke(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id, before, field = open_sms_field(server, ctx, page, "name")
    field.press_sequentially("Reminder by SMS, 1 h", delay=60)  # 20 characters at a typist's pace
    field.blur()
    wait_until(lambda: saved(ctx, journey_id)[0].node("sms").name == "Reminder by SMS, 1 h")
    doc, after = saved(ctx, journey_id)
    assert 1 <= after - before <= 2, f"{after - before} revisions for one typed name"


def test_text_typed_without_leaving_the_field_is_saved_when_typing_pauses(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id, before, field = open_sms_field(server, ctx, page, "body")
    field.press_sequentially("Your cart misses you", delay=40)
    wait_until(lambda: saved(ctx, journey_id)[0].node("sms").config.get("body") == "Your cart misses you")
    assert saved(ctx, journey_id)[1] - before <= 2
    assert field.evaluate("e => e === document.activeElement")  # still typing in place, focus not taken
