"""Helpers for canvas tests in real Chromium: a signed-in marketer's page at laptop size, and page points of
what the marketer drops steps onto."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from playwright.sync_api import Locator, Page

from tests.auth_helpers import signed_in_page
from tests.browser import ConsoleErrors, chromium, edge_selector

LAPTOP = {"width": 1440, "height": 900}


@contextmanager
def marketer_page(base_url: str) -> Iterator[Page]:
    """A marketer's page at 1440x900; any console error of any tab fails the test."""
    errors = ConsoleErrors()
    with chromium() as browser:
        context = browser.new_context(viewport=LAPTOP)
        context.on("page", errors.watch)
        yield signed_in_page(context, base_url, "marketer")
    assert errors == [], f"browser console errors: {errors}"


def edge_middle(page: Page, source: str, port: str, target: str) -> tuple[float, float]:
    """The page point halfway along a drawn connection."""
    path = page.locator(edge_selector(source, port, target)).locator("path.vue-flow__edge-path")
    point = path.evaluate(
        "p => { const m = p.getPointAtLength(p.getTotalLength() / 2); const s = p.getScreenCTM();"
        " return [m.x * s.a + s.e, m.y * s.d + s.f]; }"
    )
    return float(point[0]), float(point[1])


def drag_step(page: Page, node_type: str, x: float, y: float) -> None:
    """Drag a step from the palette with the mouse and drop it at page point (x, y)."""
    flow = page.locator(".jc-flow")
    box = flow.bounding_box()
    assert box is not None
    page.locator(f'.jc-palette-item[data-node-type="{node_type}"]').drag_to(
        flow, target_position={"x": x - box["x"], "y": y - box["y"]}
    )


def settle(page: Page) -> None:
    """Let the canvas finish a re-fit it starts in its next animation frames (no wall-clock wait)."""
    page.evaluate("() => new Promise(r => requestAnimationFrame(() => requestAnimationFrame(() => r(true))))")


def field(page: Page, key: str) -> Locator:
    """A form field of the side panel (Quasar puts the test id on the native input or on the field's root)."""
    found = f'[data-testid="field-{key}"]'
    return page.locator(f"input{found}, textarea{found}, {found} input, {found} textarea").first
