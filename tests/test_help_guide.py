"""The user guide (/help) in each language, and the technical documentation (/help/technical) in English."""

from __future__ import annotations

import html
import re

import markdown2
import pytest
from nicegui import ui
from nicegui.testing import User

from app.i18n import LANGUAGES, t
from app.pages.help import guide_text
from journeys.nodes import REGISTRY
from tests.auth_helpers import login, signed_in_page
from tests.browser import VIEWPORT, chromium
from tests.conftest import ROOT
from tests.french_support import english_words

FRENCH = {"locale": "fr-FR", "extra_http_headers": {"Accept-Language": "fr-FR,fr;q=0.9"}}
ANCHOR = re.compile(r'<h\d id="([a-z0-9-]+)">')
# Buttons, panels and names the guide tells the reader to look for, as the UI says them in each language.
NAMED_IN_THE_UI = (
    "journeys.new",
    "journeys.new.title",
    "journeys.new.blank",
    "journeys.new.create",
    "journeys.new.use_template",
    "canvas.search",
    "builder.palette",
    "builder.auto_layout",
    "builder.validate",
    "builder.history",
    "builder.publish",
    "builder.pause",
    "builder.resume",
    "builder.settings.title",
    "builder.settings.goal_title",
    "node.wait.event.port.timeout",
    "node.branch.multi.port.else",
    "builder.form.control",
    "builder.form.insert_variable",
    "review.title",
    "review.first",
    "consent.reach.how",
    "consent.basis.push_token",
    "consent.basis.opt_in",
    "consent.basis.legitimate_interest",
    "demo.load",
    "demo_live.badge",
    "demo_live.provider",
    "demo_live.stop",
    "funnels.panel.funnel",
    "funnels.panel.skipped",
    "funnels.panel.conversion",
    "analytics.col.fix",
    "funnels.col.uplift",
    "funnels.col.prob",
    "funnels.revert",
    "role.viewer",
    "role.marketer",
    "role.admin",
    "role.agent",
    "nav.inbox",
    "nav.faq",
    "faq.try",
    "faq.import",
    "faq.export",
    "inbox.send",
    "inbox.close",
    "inbox.give_back",
)


def guide_html(lang: str) -> str:
    return str(markdown2.markdown(guide_text(lang), extras=["fenced-code-blocks", "tables"]))


def anchors(lang: str) -> list[str]:
    return ANCHOR.findall(guide_html(lang))


def in_app_help_links() -> set[str]:
    """Every ``/help#section`` the app and its components link to."""
    found: set[str] = set()
    for folder in ("app", "components"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in {".py", ".vue", ".js"} and not {"dist", "node_modules"} & set(path.parts):
                found.update(re.findall(r"/help#([a-z0-9-]+)", path.read_text(encoding="utf-8")))
    return found


def test_the_guide_has_the_same_sections_and_ids_in_every_language() -> None:
    english = anchors("en")
    assert len(english) > 15 and len(set(english)) == len(english)
    for lang in LANGUAGES:
        assert anchors(lang) == english, lang


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_every_in_app_help_link_and_guide_link_lands_on_a_section(lang: str) -> None:
    links = in_app_help_links()
    assert "consent" in links  # the publish review's "How to collect consent"
    inner = set(re.findall(r'href="#([a-z0-9-]+)"', guide_html(lang)))
    assert inner and (links | inner) <= set(anchors(lang))


@pytest.mark.parametrize("lang", sorted(LANGUAGES))
def test_the_guide_names_every_step_and_button_as_the_ui_shows_them(lang: str) -> None:
    text = " ".join(guide_text(lang).split())
    keys = [f"builder.node.{node_type}" for node_type in REGISTRY] + list(NAMED_IN_THE_UI)
    missing = [key for key in keys if t(key, lang).rstrip(".") not in text]
    assert missing == []


def test_the_french_guide_has_no_english_left_over() -> None:
    text = html.unescape(re.sub(r"<[^>]+>", " ", guide_html("fr")))
    assert english_words(text) == []
    assert english_words(html.unescape(re.sub(r"<[^>]+>", " ", guide_html("en"))))  # the detector works here


async def test_help_shows_the_guide_in_the_readers_language_then_the_technical_page(user: User) -> None:
    await login(user, "viewer")
    await user.open("/help")
    await user.should_see("Documentation")
    [guide] = user.find(kind=ui.markdown).elements
    assert '<h2 id="first-journey">Your first journey</h2>' in guide.props["innerHTML"]
    await user.should_see("Technical documentation (installation, API, command line; in English)")
    user.find(marker="language-switcher").elements.pop().value = "fr"
    await user.should_see("Documentation technique (installation, API, ligne de commande ; en anglais)")
    [guide] = user.find(kind=ui.markdown).elements
    assert '<h2 id="consent">Consentement</h2>' in guide.props["innerHTML"]
    assert "Your first journey" not in guide.props["innerHTML"]

    user.find(marker="technical-link").click()
    await user.should_see(marker="technical-docs")
    [container] = user.find(marker="technical-docs").elements
    assert container.props["lang"] == "en"
    [readme] = user.find(kind=ui.markdown).elements
    assert '<h2 id="command-line">Command line</h2>' in readme.props["innerHTML"]


@pytest.mark.browser
def test_the_consent_link_lands_on_the_consent_section_in_french_and_the_readme_is_marked_english(
    server,  # noqa: ANN001
) -> None:
    with chromium() as browser:
        page = signed_in_page(browser, server.base_url, "viewer", viewport=VIEWPORT, **FRENCH)
        page.goto(server.base_url + "/help#consent")  # the link of the publish review and the builder
        heading = page.locator("h2#consent")
        heading.wait_for()
        page.wait_for_function("() => window.scrollY > 0")
        box = heading.bounding_box()
        assert heading.inner_text() == "Consentement"
        assert box is not None and 0 <= box["y"] < VIEWPORT["height"] / 2
        page.get_by_role("link", name=t("help.technical_link", "fr")).click()
        page.locator('[lang="en"] h2#command-line').wait_for()
        assert page.locator('[lang="en"]').get_by_text("Two commands", exact=True).count() == 1
