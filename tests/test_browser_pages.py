"""The journeys list in real Chromium: no console errors, demo load works, screenshots saved as artifacts."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import ConsoleMessage, sync_playwright

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.mark.browser
def test_journeys_list_in_chromium_loads_demo_without_console_errors(server) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    errors: list[str] = []

    def on_console(message: ConsoleMessage) -> None:
        if message.type == "error":
            errors.append(message.text)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(locale="fr-FR", extra_http_headers={"Accept-Language": "fr-FR,fr;q=0.9"})
            page.on("console", on_console)
            page.on("pageerror", lambda exc: errors.append(str(exc)))
            page.goto(server.base_url + "/")
            page.get_by_text("Aucun parcours pour l'instant").wait_for()
            page.get_by_role("button", name="Charger l'espace de démonstration").click()
            page.get_by_text("Abandoned cart: SMS, then email").wait_for(timeout=20_000)
            page.screenshot(path=str(ARTIFACTS / "journeys-list.png"), full_page=True)
            page.goto(server.base_url + "/contacts")
            page.get_by_text("1000 au total").wait_for(timeout=10_000)
            page.screenshot(path=str(ARTIFACTS / "contacts.png"), full_page=True)
        finally:
            browser.close()
    assert errors == []
