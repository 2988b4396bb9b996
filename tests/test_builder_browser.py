"""The builder in real Chromium against the real server: drag, wire, configure, publish, reload, undo."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

from app.authoring import service as svc
from app.core.context import AppContext
from journeys import document
from storage import journeys as store
from tests.auth_helpers import signed_in_page
from tests.browser import (
    VIEWPORT,
    ConsoleErrors,
    chromium,
    drag_connect,
    edge_selector,
    node,
    open_canvas_timed,
    wait_for_edge,
    wait_until,
)
from tests.conftest import ROOT, load_template_dict
from tests.journey_factory import large_journey, open_end_ids

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
RENDER_TARGET_MS = 1500
SAVE_TARGET_MS = 300


@pytest.fixture
def page(server) -> Iterator[Page]:  # noqa: ANN001
    errors = ConsoleErrors()
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT)
        context.on("page", errors.watch)  # every tab the test opens, not only the first
        yield signed_in_page(context, server.base_url, "marketer")
    assert errors == [], f"browser console errors: {errors}"


def draft(ctx: AppContext, journey_id: int) -> document.JourneyDocument:
    with ctx.db.session() as session:
        return document.parse(store.get_journey(session, journey_id=journey_id).draft)


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def drop(page: Page, node_type: str, x: float, y: float, new_id: str) -> None:
    page.locator(f'.jc-palette-item[data-node-type="{node_type}"]').drag_to(
        page.locator(".jc-flow"), target_position={"x": x, "y": y}
    )
    node(page, new_id).wait_for()
    text_field(page, "name").wait_for()


def text_field(page: Page, key: str):  # noqa: ANN201
    """Quasar puts extra attributes on the native input of a field, or on its root for other controls."""
    found = f'[data-testid="field-{key}"]'
    return page.locator(f"input{found}, textarea{found}, {found} input, {found} textarea").first


def fill(page: Page, key: str, value: str, *, tag: str = "input") -> None:
    del tag
    field = text_field(page, key)
    field.fill(value)
    field.blur()


def pick(page: Page, key: str, value: str) -> None:
    field = text_field(page, key)
    field.fill(value)
    field.press("Enter")


def choose(page: Page, key: str, label: str) -> None:
    page.locator(f'[data-testid="field-{key}"]').click()
    page.get_by_role("option", name=label, exact=True).click()


def name_step(page: Page, name: str) -> None:
    fill(page, "name", name)


def test_build_the_abandoned_cart_journey_from_an_empty_canvas(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.create_journey(ctx, name="Abandoned cart")
    with ctx.db.session() as session:
        revision = store.get_journey(session, journey_id=journey_id).revision
    empty = document.parse({"schema_version": document.SCHEMA_VERSION, "name": "Abandoned cart"})
    svc.save_draft(ctx, journey_id, empty, expected_revision=revision)  # a journey whose steps were all deleted
    page.goto(f"{server.base_url}/journeys/{journey_id}")
    page.get_by_test_id("canvas-empty").wait_for()

    _drop_abandoned_cart_steps(page)

    wiring = [
        ("entry_event_1", "next", "wait_event_1"),
        ("wait_event_1", "event", "exit_1"),
        ("wait_event_1", "timeout", "message_sms_1"),
        ("message_sms_1", "next", "wait_event_2"),
        ("wait_event_2", "event", "exit_2"),
        ("wait_event_2", "timeout", "message_email_1"),
        ("message_email_1", "next", "exit_3"),
    ]
    for source, port, target in wiring:
        drag_connect(page, source, port, target)
        wait_for_edge(page, source, port, target)
    page.get_by_text("Problems (0)").wait_for()

    doc = draft(ctx, journey_id)
    assert {(e.source, e.port, e.target) for e in doc.edges} == set(wiring)
    wait = doc.node("wait_event_1").config  # type: ignore[union-attr]
    assert (wait["event"], wait["timeout"]) == ("order_completed", {"amount": 1, "unit": "hours"})
    assert doc.node("message_email_1").config["subject"] == "You left something behind"  # type: ignore[union-attr]
    assert doc.node("exit_3").name == "Done"  # type: ignore[union-attr]
    screenshot(page, "builder-abandoned-cart")

    page.get_by_role("button", name="Publish").click()
    page.get_by_text("First version: the journey goes live as drawn.").wait_for()
    page.locator(".q-dialog").get_by_role("button", name="Publish").click()
    page.get_by_text("Published as version 1").wait_for()

    _check_after_reload(page, ctx, journey_id, doc, wiring)


def _drop_abandoned_cart_steps(page: Page) -> None:
    """Drop, name and fill the eight steps of the abandoned-cart journey, unconnected."""
    drop(page, "entry.event", 360, 50, "entry_event_1")
    page.get_by_test_id("canvas-empty").wait_for(state="detached")
    name_step(page, "Cart abandoned")
    pick(page, "event", "cart_abandoned")
    drop(page, "wait.event", 360, 170, "wait_event_1")
    name_step(page, "Wait 1 hour for a purchase")
    pick(page, "event", "order_completed")
    fill(page, "timeout-amount", "1")
    choose(page, "timeout-unit", "hours")
    drop(page, "exit", 120, 300, "exit_1")
    name_step(page, "Bought")
    drop(page, "message.sms", 600, 300, "message_sms_1")
    name_step(page, "Cart reminder SMS")
    fill(
        page, "body", "{{ contact.first_name | default: 'Hi' }}, your cart is waiting. STOP to opt out", tag="textarea"
    )
    page.get_by_text("SMS · GSM-7").wait_for()
    drop(page, "wait.event", 600, 420, "wait_event_2")
    name_step(page, "Wait 24 hours for a purchase")
    pick(page, "event", "order_completed")
    fill(page, "timeout-amount", "24")
    choose(page, "timeout-unit", "hours")
    drop(page, "exit", 360, 550, "exit_2")
    name_step(page, "Bought after SMS")
    drop(page, "message.email", 840, 550, "message_email_1")
    name_step(page, "Cart reminder email")
    fill(page, "subject", "You left something behind")
    fill(page, "body", "<p>Hello {{ contact.first_name | default: 'there' }}</p>", tag="textarea")
    drop(page, "exit", 840, 680, "exit_3")
    name_step(page, "Done")


def _check_after_reload(page: Page, ctx: AppContext, journey_id: int, doc: Any, wiring: list) -> None:
    """After a reload the published journey is drawn as saved, and its export is the saved document."""
    page.reload()
    page.locator(".vue-flow__node").nth(7).wait_for()
    assert page.locator(".vue-flow__node").count() == 8
    for source, port, target in wiring:
        page.locator(edge_selector(source, port, target)).wait_for(state="attached")
    assert page.locator(".jc-badge").count() == 0
    assert draft(ctx, journey_id) == doc
    exported = svc.export_journey(ctx, journey_id, version=1)
    assert exported == document.dumps(doc.model_copy(update={"key": json.loads(exported)["key"]}))


def test_delete_undo_redo_and_a_refused_loop(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    page.goto(f"{server.base_url}/journeys/{journey_id}")
    node(page, "done").click()
    page.keyboard.press("Delete")
    node(page, "done").wait_for(state="detached")
    badge = node(page, "email").locator(".jc-badge")
    badge.wait_for()
    assert badge.inner_text() == "1"
    wait_until(lambda: draft(ctx, journey_id).node("done") is None)
    screenshot(page, "builder-deleted-step-badge")

    page.keyboard.press("Control+z")
    node(page, "done").wait_for()
    badge.wait_for(state="detached")
    wait_until(lambda: draft(ctx, journey_id).node("done") is not None)
    page.keyboard.press("Control+Shift+z")
    node(page, "done").wait_for(state="detached")
    wait_until(lambda: draft(ctx, journey_id).node("done") is None)

    node(page, "sms").click()
    node(page, "wait_24h").click(modifiers=["Control"])
    page.keyboard.press("Control+c")
    page.keyboard.press("Control+v")
    node(page, "message_sms_1").wait_for()
    node(page, "wait_event_1").wait_for()
    page.locator(edge_selector("message_sms_1", "next", "wait_event_1")).wait_for(state="attached")
    page.keyboard.press("Control+z")
    node(page, "message_sms_1").wait_for(state="detached")

    drag_connect(page, "sms", "next", "wait_1h")
    page.get_by_text("would make a loop").wait_for()
    assert len(draft(ctx, journey_id).edges) == 6


def test_names_with_markup_render_as_text(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    nasty = "<script>window.pwned=1</script> \"quoted\" 'single'"
    data = load_template_dict("abandoned_cart")
    data["name"] = nasty
    data["nodes"][0]["name"] = nasty
    journey_id = svc.import_journey(ctx, data)
    page.goto(f"{server.base_url}/journeys/{journey_id}")
    node(page, "entry").wait_for()
    assert node(page, "entry").locator(".jc-name").inner_text() == nasty
    assert page.evaluate("window.pwned") is None
    page.get_by_text("Journey settings").click()
    page.get_by_text("Conversion goal").wait_for()


def test_canvas_figures_for_a_100_step_journey(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.create_journey(ctx, name="big")
    with ctx.db.session() as session:
        revision = store.get_journey(session, journey_id=journey_id).revision
    svc.save_draft(ctx, journey_id, large_journey(100), expected_revision=revision)
    render_ms = open_canvas_timed(page, f"{server.base_url}/journeys/{journey_id}", 100)
    source, target = open_end_ids(100)
    page.evaluate(f"getElement(document.querySelector('.jc-root')).focusNode('{source}')")
    page.wait_for_timeout(500)  # the 300 ms zoom animation of the canvas itself
    released = drag_connect(page, source, "next", target)
    saved_ms = wait_for_edge(page, source, "next", target) - released
    assert any(e.source == source and e.target == target for e in draft(ctx, journey_id).edges)
    screenshot(page, "builder-100-steps")
    print(
        f"\ncanvas figures: render_100_nodes_ms={render_ms:.0f} (target < {RENDER_TARGET_MS})"
        f" connect_saved_ms={saved_ms:.0f} (target < {SAVE_TARGET_MS})"
    )
    # The targets are met on an idle machine (see bench/canvas.py); the CPU here is shared, so the test
    # fails only well beyond them, on a real regression rather than on a busy neighbour.
    assert render_ms < 3 * RENDER_TARGET_MS
    assert saved_ms < 3 * SAVE_TARGET_MS


def test_two_tabs_editing_one_draft_do_not_overwrite_each_other(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    second = page.context.new_page()
    for tab in (page, second):
        tab.goto(f"{server.base_url}/journeys/{journey_id}")
        node(tab, "done").wait_for()
    node(page, "done").click()
    page.keyboard.press("Delete")
    wait_until(lambda: draft(ctx, journey_id).node("done") is None)
    node(second, "bought_late").click()
    second.keyboard.press("Delete")
    second.get_by_text("changed in another tab").first.wait_for()
    doc = draft(ctx, journey_id)
    assert doc.node("done") is None and doc.node("bought_late") is not None
    screenshot(second, "builder-stale-tab")


def test_variable_is_inserted_at_the_caret_of_a_message(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    page.goto(f"{server.base_url}/journeys/{journey_id}")
    node(page, "sms").click()
    body = text_field(page, "body")
    body.fill("Hello , your cart")
    body.evaluate("box => box.setSelectionRange(6, 6)")
    page.locator("button:has(i:text('data_object'))").first.click()
    page.get_by_text("contact.first_name", exact=True).click()
    wait_until(lambda: draft(ctx, journey_id).node("sms").config["body"] == "Hello {{ contact.first_name }}, your cart")  # type: ignore[union-attr]
    page.get_by_text("Hello Camille, your cart").wait_for()
