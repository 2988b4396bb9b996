"""Stored-XSS payloads in user-editable text render as inert text in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import Locator, Page, sync_playwright

from app.access import audit
from app.authoring import service as svc
from app.core import context
from journeys import document
from tests import hostile_data
from tests.auth_helpers import browser_login, create_account
from tests.browser import VIEWPORT, chromium
from tests.conftest import load_template_dict
from tests.hostile_data import Hostile

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PAYLOADS = {
    "admin_name": '<img src=x onerror="window.__xss=1;alert(1)">',
    "user_name": "<script>window.__xss=2;alert(2)</script>",
    "journey_name": '"><svg onload="window.__xss=3;alert(3)">',
    "journey_description": '<iframe srcdoc="<script>parent.__xss=4;alert(4)</script>"></iframe>',
    "audit_actor": "<img src=x onerror=alert(5)>",
    "audit_target": "{{constructor.constructor('window.__xss=6;alert(6)')()}}",
    "audit_details": "<details open ontoggle=alert(7)>",
}


@pytest.fixture
def hostile_server(settings, request: pytest.FixtureRequest):
    """The real server over a database already holding hostile text in every field these pages show."""
    ctx = context.init(settings)
    create_account(ctx, "admin", "root@example.com", PAYLOADS["admin_name"])
    create_account(ctx, "viewer", "eve@example.com", PAYLOADS["user_name"])
    doc = load_template_dict("flight_delay") | {
        "name": PAYLOADS["journey_name"],
        "description": PAYLOADS["journey_description"],
    }
    svc.import_journey(ctx, document.parse(doc).model_dump(mode="json"))
    audit.record(
        ctx, PAYLOADS["audit_actor"], "journey.publish", PAYLOADS["audit_target"], {"note": PAYLOADS["audit_details"]}
    )
    context.close()
    return request.getfixturevalue("server")


@pytest.fixture
def page() -> Iterator[Page]:
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            yield browser.new_page()
        finally:
            browser.close()


@pytest.mark.browser
def test_hostile_names_render_as_text_and_never_run(hostile_server, page: Page) -> None:
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    browser_login(page, hostile_server.base_url, "root@example.com")
    shown = {
        "/": ["journey_name"],
        "/admin/users": ["admin_name", "user_name"],
        "/admin/audit": ["audit_actor", "audit_target", "audit_details"],
    }
    for path, fields in shown.items():
        page.goto(hostile_server.base_url + path)
        page.wait_for_load_state("networkidle")
        for field in fields:
            text = page.get_by_text(PAYLOADS[field], exact=False)
            assert text.count() >= 1, f"{path}: {field} is not shown as text"
        assert page.evaluate("window.__xss") is None, f"{path}: injected script ran"
        assert page.locator("img[src=x], svg[onload], iframe[srcdoc], details[ontoggle]").count() == 0, path
    assert dialogs == []


@pytest.fixture
def catalogue_server(settings, request: pytest.FixtureRequest) -> tuple[Any, Hostile]:
    """The real server over a database where every user-writable field holds one of the hostile payloads."""
    ctx = context.init(settings)
    try:
        hostile = hostile_data.seed(ctx)
    finally:
        context.close()
    server = request.getfixturevalue("server")
    hostile_data.send_calls(server.base_url, hostile.write_key)  # kept in the server's memory for /debugger
    return server, hostile


def _paths(hostile: Hostile, role: str) -> list[str]:
    covering = hostile.journeys[::3]  # three steps each: every payload is a step name of one of them
    paths = ["/", "/dashboard", "/help"]
    paths += [f"/journeys/{j}/analytics" for j in covering] + [f"/journeys/{j}/versions/1" for j in covering]
    if role == "admin":
        paths += [f"/journeys/{j}" for j in covering] + ["/contacts", "/segments", "/outbox", "/settings"]
        paths += [f"/contacts/{c}" for c in hostile.contacts] + [f"/contacts/{hostile.contacts[0]}/privacy"]
        paths += ["/admin/users", "/admin/audit", "/debugger"]
    return paths


def _poke(page: Page) -> None:
    """Hover every hostile text and chart, click every step and saved segment: handlers would fire now."""
    page.wait_for_load_state("networkidle")
    for locator in (page.get_by_text("__xss"), page.locator(".js-plotly-plot")):
        locator = locator.filter(visible=True)
        for i in range(min(locator.count(), 30)):
            _touch(locator.nth(i), "hover")
    clickable = page.locator(".vue-flow__node").filter(visible=True)
    if "/segments" in page.url:
        clickable = page.get_by_text("__xss", exact=False).filter(visible=True)
    if "/debugger" in page.url:  # open a call: its refusals quote the hostile types
        clickable = page.locator("tbody tr").filter(visible=True)
    for i in range(min(clickable.count(), 8)):
        _touch(clickable.nth(i), "click")
        page.wait_for_load_state("networkidle")


def _touch(element: Locator, action: str) -> None:
    """Hover or click one element; one that a live refresh re-rendered away meanwhile is passed over."""
    try:
        getattr(element, action)(timeout=2_000, force=True)
    except PlaywrightError as error:
        gone = "not visible" in error.message or "not attached" in error.message or "Timeout" in error.message
        if not gone:
            raise


@pytest.mark.browser
@pytest.mark.parametrize("role", ["viewer", "admin"])
def test_hostile_values_never_run_and_every_page_works_under_the_csp(catalogue_server, role: str) -> None:
    server, hostile = catalogue_server
    email = {"viewer": "eve@example.com", "admin": "root@example.com"}[role]
    with chromium() as browser:
        page = browser.new_page(viewport=VIEWPORT)
        ran: list[str] = []
        page.on("dialog", lambda dialog: (ran.append(f"{page.url}: alert({dialog.message})"), dialog.dismiss()))
        # The same visit proves the Content-Security-Policy leaves every page working: no violation reported.
        blocked: list[str] = []
        page.on("console", lambda m: blocked.append(f"{page.url}: {m.text}") if "Content Security" in m.text else None)
        browser_login(page, server.base_url, email)
        for path in _paths(hostile, role):
            page.goto(server.base_url + path)
            _poke(page)
            flag = page.evaluate("window.__xss")
            if flag is not None:
                ran.append(f"{path}: window.__xss={flag}")
            if page.locator(hostile_data.INJECTED).count():
                ran.append(f"{path}: injected element")
            if path == "/debugger" and not page.get_by_text(hostile_data.payload(5), exact=False).count():
                ran.append("/debugger: the hostile calls are not shown as text")
            if path == "/debugger" and not page.get_by_text("Input tag 'x\\'", exact=False).count():
                ran.append("/debugger: an opened call does not show its refusals as text")
        assert ran == [], "hostile text ran as script:\n" + "\n".join(ran)
        assert blocked == [], "the content security policy blocked:\n" + "\n".join(blocked)
