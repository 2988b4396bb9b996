"""Real Chromium (Debian's package) driven by Playwright, shared by browser tests and bench/canvas.py."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1600, "height": 1000}


@contextmanager
def chromium() -> Iterator[Browser]:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


class ConsoleErrors(list[str]):
    """Every console error and uncaught page error of a page."""

    def watch(self, page: Page) -> Page:
        page.on("console", lambda m: self.append(f"console: {m.text}") if m.type == "error" else None)
        page.on("pageerror", lambda e: self.append(f"page error: {e}"))
        return page


def node(page: Page, node_id: str) -> Any:
    return page.locator(f'.vue-flow__node[data-id="{node_id}"]')


def handle(page: Page, node_id: str, port: str) -> Any:
    return node(page, node_id).locator(f'.vue-flow__handle[data-handleid="{port}"]')


def center(locator: Any) -> tuple[float, float]:
    box = locator.bounding_box()
    assert box is not None
    return box["x"] + box["width"] / 2, box["y"] + box["height"] / 2


def drag_connect(page: Page, source: str, port: str, target: str) -> float:
    """Drag from an output port to a step's input; returns page time (ms) at the mouse release."""
    sx, sy = center(handle(page, source, port))
    tx, ty = center(handle(page, target, "in"))
    page.mouse.move(sx, sy)
    page.mouse.down()
    page.mouse.move((sx + tx) / 2, (sy + ty) / 2, steps=5)
    page.mouse.move(tx, ty, steps=5)
    released_at = page.evaluate("performance.now()")
    page.mouse.up()
    return released_at


def edge_selector(source: str, port: str, target: str) -> str:
    return f'.vue-flow__edge[data-id="{source}:{port}->{target}"]'


def wait_for_edge(page: Page, source: str, port: str, target: str, timeout: float = 10_000) -> float:
    """Wait until the saved connection is drawn (Python only redraws after saving); returns page time (ms)."""
    selector = edge_selector(source, port, target).replace('"', '\\"')
    handle_ = page.wait_for_function(
        f'() => document.querySelector("{selector}") ? performance.now() : false', polling="raf", timeout=timeout
    )
    return float(handle_.json_value())


def open_canvas_timed(page: Page, url: str, expected_nodes: int, timeout: float = 20_000) -> float:
    """Navigate and wait until all nodes are drawn at their measured size; ms since navigation start."""
    page.goto(url)
    script = (
        "(n) => { const nodes = document.querySelectorAll('.vue-flow__node');"
        " return nodes.length === n && [...nodes].every(e => e.style.visibility !== 'hidden')"
        " ? performance.now() : false }"
    )
    return float(page.wait_for_function(script, arg=expected_nodes, polling="raf", timeout=timeout).json_value())


def wait_until(predicate: Any, timeout: float = 10.0) -> None:
    """Poll a condition that another real process (the server) makes true."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
