"""The journeys list in real Chromium: no console errors, demo load works, screenshots saved as artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, sync_playwright

from app.authoring import service as svc
from app.core.context import AppContext
from tests.auth_helpers import signed_in_page

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
HOSTILE_NAME = '<img src=x onerror=alert(1)> "quoted" l\'été <script>alert(2)</script>'
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
def test_journeys_list_in_chromium_loads_demo_without_console_errors(server, ctx: AppContext) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []
    dialogs: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = signed_in_page(  # an admin, as the tour ends on the settings page
                browser,
                server.base_url,
                "admin",
                locale="fr-FR",
                extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"},
            )
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
            page.goto(server.base_url + "/")
            page.get_by_text("Aucun parcours pour l'instant").wait_for()
            page.get_by_role("button", name="Charger l'espace de démonstration").click()
            page.get_by_text("Panier abandonné : SMS puis e-mail").wait_for(timeout=20_000)  # in the user's language
            page.screenshot(path=str(ARTIFACTS / "journeys-list.png"), full_page=True)
            svc.create_journey(ctx, name=HOSTILE_NAME)  # same database file as the server
            page.reload()
            page.get_by_text(HOSTILE_NAME).wait_for()
            assert dialogs == []
            page.goto(server.base_url + "/contacts")
            page.get_by_text("1000 au total").wait_for(timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / "contacts.png"), full_page=True)
            page.locator("a[href^='/contacts/']").first.click()
            page.get_by_text("Chronologie des événements").wait_for()
            page.screenshot(path=str(ARTIFACTS / "contact-profile.png"), full_page=True)
            page.goto(server.base_url + "/settings")
            page.get_by_text("Règles d'envoi").wait_for()
            page.screenshot(path=str(ARTIFACTS / "settings.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
