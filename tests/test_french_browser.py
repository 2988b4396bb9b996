"""Every page and every step form, rendered in French in real Chromium, shows no English left over.

Signed in as an administrator with a French browser, with a journey holding a step of every type, a published
journey, a contact and a segment. The visible text of each page (``inner_text``) is checked against a list of
English words French never uses (tests/french_support.py).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import timedelta

import pytest
from playwright.sync_api import Page

from app.audience import segment_service
from app.core.context import AppContext
from app.engagement import preferences
from app.i18n import t
from journeys.nodes import REGISTRY
from tests.auth_helpers import ensure_account, signed_in_page
from tests.browser import VIEWPORT, ConsoleErrors, chromium, node
from tests.conftest import ROOT
from tests.engine_support import add_contacts
from tests.french_support import english_words, every_step_journey, live_journey

pytestmark = pytest.mark.browser
ARTIFACTS = ROOT / "test-artifacts"
FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9"}}


@pytest.fixture
def browser_errors() -> ConsoleErrors:
    return ConsoleErrors()


@pytest.fixture
def french_page(server, browser_errors: ConsoleErrors) -> Iterator[Page]:  # noqa: ANN001
    with chromium() as browser:
        context = browser.new_context(viewport=VIEWPORT, **FRENCH)
        context.on("page", browser_errors.watch)
        yield signed_in_page(context, server.base_url, "admin")
    assert browser_errors == [], f"browser console errors: {browser_errors}"


# Icons are ligatures ("delete", "add"): their names are not text a user reads.
_TEXT_JS = """() => {
  const icons = [...document.querySelectorAll('.q-icon, .material-icons, [class*="material-symbols"]')];
  const kept = icons.map((icon) => [icon, icon.style.display]);
  kept.forEach(([icon]) => { icon.style.display = 'none'; });
  const text = document.body.innerText;
  kept.forEach(([icon, display]) => { icon.style.display = display; });
  return text;
}"""


def page_text(page: Page) -> str:
    return str(page.evaluate(_TEXT_JS))


def visible_text(page: Page, url: str) -> str:
    page.goto(url)
    page.locator(".nicegui-content").first.wait_for()
    page.wait_for_function("() => document.body.innerText.trim().length > 40")
    return page_text(page)


def leftovers(text: str) -> list[str]:
    return english_words(text)


def report(found: dict[str, list[str]], name: str) -> None:
    """Leftovers per page, kept as an artifact so a failure shows every line to translate at once."""
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / f"{name}.json").write_text(json.dumps(found, ensure_ascii=False, indent=1))


def lines_with(text: str, words: list[str]) -> list[str]:
    """The lines of ``text`` holding one of ``words``, to say where a leftover is."""
    return [line for line in text.splitlines() if english_words(line) and set(english_words(line)) & set(words)]


def test_english_detector_catches_real_leftovers() -> None:
    assert leftovers("Problèmes (1) · Wait 1 hour · Reliez cette étape") == ["wait", "hour"]
    assert leftovers("Parcours · SMS · Push · Webhook · OneSignal · E-mail · 12 contacts · segment · minutes") == []
    assert leftovers(t("builder.select_hint", lang="en"))
    assert not leftovers(t("builder.select_hint", lang="fr"))


def test_every_page_speaks_french(server, ctx: AppContext, french_page: Page) -> None:  # noqa: ANN001
    base = server.base_url
    (contact_id,) = add_contacts(ctx, 1, locale="fr-FR")
    segment_service.save_segment(
        ctx, name="Clients fidèles", condition={"kind": "attribute", "attribute": "pays", "op": "eq", "value": "FR"}
    )
    every = every_step_journey(ctx)
    live = live_journey(ctx)
    token = preferences.preference_token(ctx, contact_id, valid_for=timedelta(days=3650))  # the server's clock is real
    urls = [
        "/",
        "/contacts",
        f"/contacts/{contact_id}",
        f"/contacts/{contact_id}/privacy",
        "/segments",
        "/dashboard",
        "/settings",
        "/debugger",
        "/outbox",
        "/help",  # the user guide; /help/technical is left out: it shows the README, written in English only
        # for developers and administrators, and marked lang="en" on its page
        "/admin/users",
        "/admin/audit",
        "/admin/quarantine",
        "/inbox",
        "/faq",
        f"/journeys/{every}",
        f"/journeys/{live}",
        f"/journeys/{live}/versions/1",
        f"/journeys/{live}/analytics",
        f"/preferences/{token}",
        "/denied",
    ]
    found = {}
    for url in urls:
        text = visible_text(french_page, base + url)
        if leftovers(text):
            found[url] = lines_with(text, leftovers(text))
    report(found, "french-leftovers-pages")
    assert found == {}


def test_every_step_form_speaks_french(server, ctx: AppContext, french_page: Page) -> None:  # noqa: ANN001
    every = every_step_journey(ctx)
    visible_text(french_page, f"{server.base_url}/journeys/{every}")
    found: dict[str, list[str]] = {}
    for spec in REGISTRY.values():
        node_id = spec.type.replace(".", "_")
        node(french_page, node_id).click()
        french_page.get_by_text(t(f"builder.node_help.{spec.type}", lang="fr")).first.wait_for()
        words = leftovers(page_text(french_page))
        if words:
            found[spec.type] = lines_with(page_text(french_page), words)
    french_page.locator(".vue-flow__pane").click(position={"x": 5, "y": 5})
    french_page.get_by_text(t("builder.settings.title", lang="fr")).first.click()
    french_page.get_by_text(t("builder.settings.goal_title", lang="fr")).first.wait_for()
    words = leftovers(page_text(french_page))
    if words:
        found["journey settings"] = lines_with(page_text(french_page), words)
    report(found, "french-leftovers-forms")
    assert found == {}


def test_signed_out_pages_speak_french(server) -> None:  # noqa: ANN001
    ensure_account("admin")  # else /login leads to the first-account set-up
    with chromium() as browser:
        page = browser.new_context(viewport=VIEWPORT, **FRENCH).new_page()
        page.goto(server.base_url + "/login")
        page.locator("input[autocomplete=username]").wait_for()
        assert leftovers(page_text(page)) == []
