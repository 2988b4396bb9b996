"""Help pages: ``/help`` is the user guide in the reader's language (docs/guide/<lang>.md), ending with a link to
``/help/technical``, the project README (English, marked so), for installation, API and command line."""

from __future__ import annotations

import html
import re
from functools import cache
from pathlib import Path

from nicegui import ui

from app.access.policy import VIEWER, requires
from app.core.theme import frame
from app.i18n import DEFAULT_LANGUAGE, current_language, t

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
GUIDE_DIR = ROOT / "docs" / "guide"
# "## Consentement {#consent}": a heading with the id in-app links use (/help#consent), the same in every language.
HEADING = re.compile(r"^(#{1,6}) (.+?) \{#([a-z][a-z0-9-]*)\}[ \t]*$", re.MULTILINE)


@cache
def readme_text() -> str:
    return README.read_text(encoding="utf-8") if README.exists() else ""


def with_anchors(markdown: str) -> str:
    """The guide's ``## Title {#id}`` headings as HTML headings carrying that id (markdown2 would derive the id
    from the title, which differs per language)."""

    def heading(match: re.Match[str]) -> str:
        level = len(match[1])
        return f'<h{level} id="{match[3]}">{html.escape(match[2].strip(), quote=False)}</h{level}>'

    return HEADING.sub(heading, markdown)


@cache
def guide_text(lang: str) -> str:
    """The user guide in ``lang`` (English when there is none in that language), headings anchored."""
    path = GUIDE_DIR / f"{lang}.md"
    if not path.is_file():
        path = GUIDE_DIR / f"{DEFAULT_LANGUAGE}.md"
    return with_anchors(path.read_text(encoding="utf-8"))


# Quasar's heading sizes are for posters: a document reads better with headings a step above the text.
DOC_CSS = """
.help-doc h1 { font-size: 1.75rem; line-height: 2.25rem; font-weight: 600; margin: 1.5rem 0 0.5rem; }
.help-doc h2 { font-size: 1.5rem; line-height: 2rem; font-weight: 600; margin: 1.75rem 0 0.5rem; }
.help-doc h3 { font-size: 1.2rem; line-height: 1.75rem; font-weight: 600; margin: 1.25rem 0 0.25rem; }
.help-doc h4 { font-size: 1.05rem; line-height: 1.5rem; font-weight: 600; margin: 1rem 0 0.25rem; }
.help-doc table { border-collapse: collapse; margin: 0.5rem 0; }
.help-doc th, .help-doc td { border: 1px solid #e5e7eb; padding: 0.25rem 0.5rem; vertical-align: top; }
"""


def doc(markdown: str, extras: list[str]) -> ui.markdown:
    ui.add_css(DOC_CSS)
    return ui.markdown(markdown, extras=extras).classes("w-full help-doc")


def help_page() -> None:
    with frame("help.title"):
        doc(guide_text(current_language()), ["fenced-code-blocks", "tables"])
        ui.separator()
        with ui.row().classes("items-center gap-2"):
            ui.icon("menu_book").classes("text-gray-500")
            ui.link(t("help.technical_link"), "/help/technical").mark("technical-link")


def technical_page() -> None:
    with frame("help.technical_title"):
        ui.link(t("help.back_to_guide"), "/help").classes("text-sm")
        # The README is written in English only: say so to browsers, screen readers and translators.
        with ui.element("div").classes("w-full").mark("technical-docs") as container:
            container.props["lang"] = "en"
            # header-ids: README sections have ids derived from their English titles, e.g. #consent
            doc(readme_text(), ["fenced-code-blocks", "tables", "header-ids"])


def register() -> None:
    ui.page("/help")(requires(VIEWER)(help_page))
    ui.page("/help/technical")(requires(VIEWER)(technical_page))
