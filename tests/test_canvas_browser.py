"""The canvas's quick building gestures in real Chromium against the real server: the "+" picker, drops that
connect or insert, connecting onto a step's card, the palette at 1440x900, readable text, the keyboard."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Page

from app.authoring import service as svc
from app.core.context import AppContext
from journeys import document, editing, insertion
from storage import journeys as store
from tests.browser import center, edge_selector, handle, node, wait_for_edge, wait_until
from tests.canvas_support import drag_step, edge_middle, marketer_page
from tests.conftest import load_template_dict

pytestmark = pytest.mark.browser


@pytest.fixture
def page(server) -> Iterator[Page]:  # noqa: ANN001
    with marketer_page(server.base_url) as page:
        yield page


def draft(ctx: AppContext, journey_id: int) -> document.JourneyDocument:
    with ctx.db.session() as session:
        return document.parse(store.get_journey(session, journey_id=journey_id).draft)


def wiring(ctx: AppContext, journey_id: int) -> set[tuple[str, str, str]]:
    return {(e.source, e.port, e.target) for e in draft(ctx, journey_id).edges}


def with_free_timeout(ctx: AppContext) -> int:
    """entry -> wait for event -(event)-> exit, the wait's "timeout" output left free."""
    journey_id = svc.create_journey(ctx, name="Grow me")
    doc = draft(ctx, journey_id)
    doc, _ = insertion.insert_on_edge(doc, "wait.event", doc.edges[0].id)
    save(ctx, journey_id, doc)
    return journey_id


def save(ctx: AppContext, journey_id: int, doc: document.JourneyDocument) -> None:
    with ctx.db.session() as session:
        revision = store.get_journey(session, journey_id=journey_id).revision
    svc.save_draft(ctx, journey_id, doc, expected_revision=revision)


def open_builder(page: Page, base_url: str, journey_id: int, first_node: str = "exit_1") -> None:
    page.goto(f"{base_url}/journeys/{journey_id}")
    node(page, first_node).wait_for()


def test_plus_on_a_free_output_adds_the_picked_step_already_connected(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = with_free_timeout(ctx)
    open_builder(page, server.base_url, journey_id)
    wait = node(page, "wait_event_1")
    assert wait.locator(".jc-add").count() == 1  # only the free output has a "+"
    wait.locator('.jc-add[data-port="timeout"]').click()
    picker = page.get_by_test_id("step-picker")
    page.get_by_test_id("picker-search").press("Escape")  # changing one's mind closes it, nothing added
    picker.wait_for(state="detached")
    node(page, "exit_1").click()  # the + of a step stays usable after selecting another step
    wait.locator('.jc-add[data-port="timeout"]').click()
    assert picker.locator('[data-node-type^="entry."]').count() == 0  # nothing can lead into an entry
    page.get_by_test_id("picker-search").fill("emai")
    assert picker.locator(".jc-picker-item").count() == 1
    picker.locator('[data-node-type="message.email"]').click()
    wait_for_edge(page, "wait_event_1", "timeout", "message_email_1")
    picker.wait_for(state="detached")
    assert ("wait_event_1", "timeout", "message_email_1") in wiring(ctx, journey_id)
    new, parent = node(page, "message_email_1").bounding_box(), wait.bounding_box()
    assert new is not None and parent is not None and new["y"] > parent["y"] + parent["height"]
    assert node(page, "wait_event_1").locator(".jc-add").count() == 0  # now wired
    page.get_by_test_id("field-subject").wait_for()  # the new step's form is open to fill in


def test_dropping_a_step_on_a_connection_inserts_it(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.create_journey(ctx, name="Insert")
    open_builder(page, server.base_url, journey_id)
    x, y = edge_middle(page, "entry_event_1", "next", "exit_1")
    page.locator('.jc-palette-item[data-node-type="message.sms"]').hover()
    page.mouse.down()
    page.mouse.move(x - 40, y, steps=5)
    page.mouse.move(x, y, steps=5)
    hinted = page.locator(f"{edge_selector('entry_event_1', 'next', 'exit_1')}.jc-drop-hint")
    hinted.wait_for(state="attached")  # the connection the step will go into is highlighted before the drop
    page.mouse.up()
    wait_for_edge(page, "message_sms_1", "next", "exit_1")
    assert wiring(ctx, journey_id) == {("entry_event_1", "next", "message_sms_1"), ("message_sms_1", "next", "exit_1")}
    page.locator(edge_selector("entry_event_1", "next", "exit_1")).wait_for(state="detached")
    boxes = [node(page, n).bounding_box() for n in ("entry_event_1", "message_sms_1", "exit_1")]
    assert all(b is not None for b in boxes)
    assert boxes[0]["y"] + boxes[0]["height"] <= boxes[1]["y"]  # type: ignore[index]
    assert boxes[1]["y"] + boxes[1]["height"] <= boxes[2]["y"]  # type: ignore[index]


def test_dropping_a_step_on_a_free_output_connects_it(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = with_free_timeout(ctx)
    open_builder(page, server.base_url, journey_id)
    x, y = center(handle(page, "wait_event_1", "timeout"))
    drag_step(page, "message.push", x, y + 6)
    wait_for_edge(page, "wait_event_1", "timeout", "message_push_1")
    assert ("wait_event_1", "timeout", "message_push_1") in wiring(ctx, journey_id)


def test_a_connection_dropped_on_a_step_card_connects_to_it(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = with_free_timeout(ctx)
    doc = draft(ctx, journey_id)
    doc, _ = editing.add_node(doc, "exit", 500, 300)
    save(ctx, journey_id, doc)
    open_builder(page, server.base_url, journey_id, "exit_2")
    sx, sy = center(handle(page, "wait_event_1", "timeout"))
    box = node(page, "exit_2").locator(".jc-summary").bounding_box()  # the card's text, far from its input dot
    assert box is not None
    tx, ty = box["x"] + box["width"] * 0.8, box["y"] + box["height"] / 2
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=5)
    page.mouse.move(tx, ty, steps=5)
    page.mouse.up()
    wait_for_edge(page, "wait_event_1", "timeout", "exit_2")
    assert ("wait_event_1", "timeout", "exit_2") in wiring(ctx, journey_id)


def test_palette_fits_a_laptop_screen_and_text_stays_readable(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.create_journey(ctx, name="Look")
    open_builder(page, server.base_url, journey_id)
    palette = page.get_by_test_id("palette")
    sizes = palette.evaluate("p => [p.scrollHeight, p.clientHeight]")
    assert sizes[0] <= sizes[1], f"the step list scrolls at 1440x900: {sizes}"
    view = page.viewport_size
    assert view is not None
    for item in palette.locator(".jc-palette-item").all():
        box = item.bounding_box()
        assert box is not None and box["y"] + box["height"] <= view["height"], item.inner_text()
    for label in ("Exit", "Webhook", "Update attribute", "Goal"):
        assert palette.get_by_text(label, exact=True).is_visible()
    page.get_by_test_id("palette-search").fill("sms")
    assert [i.get_attribute("data-node-type") for i in palette.locator(".jc-palette-item").all()] == ["message.sms"]
    page.get_by_test_id("palette-toggle").click()
    assert palette.locator(".jc-palette-item").count() == 0
    page.get_by_test_id("palette-toggle").click()
    assert palette.locator(".jc-palette-item").count() == 1

    assert page.locator(".vue-flow__minimap").count() == 0  # off by default: it covered nodes
    page.get_by_test_id("minimap-toggle").click()
    page.locator(".vue-flow__minimap").wait_for()

    rendered = (
        node(page, "entry_event_1")
        .locator(".jc-name")
        .evaluate("e => parseFloat(getComputedStyle(e).fontSize) * e.getBoundingClientRect().height / e.offsetHeight")
    )
    assert rendered >= 12, f"node text renders at {rendered:.1f} px"


def test_keys_typed_in_a_form_field_never_delete_steps(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    journey_id = svc.create_journey(ctx, name="Typing")
    open_builder(page, server.base_url, journey_id)
    node(page, "exit_1").click()
    name = page.locator('input[data-testid="field-name"]')
    name.click()
    name.press("End")
    name.press("Backspace")
    name.press("Delete")
    wait_until(lambda: draft(ctx, journey_id).node("exit_1").name == "Exi")  # type: ignore[union-attr]
    assert node(page, "exit_1").count() == 1
    page.mouse.click(*edge_middle(page, "entry_event_1", "next", "exit_1"))  # a connection can be deleted too
    page.keyboard.press("Delete")
    page.locator(edge_selector("entry_event_1", "next", "exit_1")).wait_for(state="detached")
    wait_until(lambda: draft(ctx, journey_id).edges == [])
    node(page, "exit_1").click()
    page.keyboard.press("Delete")
    node(page, "exit_1").wait_for(state="detached")
    page.keyboard.press("Control+y")  # nothing to redo: harmless
    page.keyboard.press("Control+z")
    node(page, "exit_1").wait_for()
    wait_until(lambda: draft(ctx, journey_id).node("exit_1") is not None)


def test_a_journey_too_tall_to_fit_readably_opens_at_its_entry(server, ctx: AppContext, page: Page) -> None:  # noqa: ANN001
    """At a readable zoom the abandoned-cart journey is taller than the canvas at 1440x900: it opens (and Fit
    shows it) from its entry step, not centred with its start cut off."""
    journey_id = svc.import_journey(ctx, load_template_dict("abandoned_cart"))
    open_builder(page, server.base_url, journey_id, first_node="entry")
    canvas = page.locator(".vue-flow").first.bounding_box()
    assert canvas is not None

    def entry_top() -> float:
        box = node(page, "entry").bounding_box()
        assert box is not None
        return box["y"] - canvas["y"]

    wait_until(lambda: 0 <= entry_top() <= 60)
    last = node(page, "done").bounding_box()
    assert last is not None and last["y"] + last["height"] > canvas["y"] + canvas["height"]  # it is too tall
    side, middle = canvas["x"] + canvas["width"] - 30, canvas["y"] + canvas["height"] * 0.75
    page.mouse.move(side, middle)  # the marketer drags the empty canvas up to read the end...
    page.mouse.down()
    page.mouse.move(side, middle - 350, steps=8)
    page.mouse.up()
    wait_until(lambda: entry_top() < 0)
    page.get_by_role("button", name="Fit").click()  # ...and Fit brings the start back
    wait_until(lambda: 0 <= entry_top() <= 60)
