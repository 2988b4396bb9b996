"""Help page (``/help``): the project README, so in-app "read the documentation" links work offline."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from nicegui import ui

from app.access import VIEWER, requires
from app.theme import frame

README = Path(__file__).resolve().parents[2] / "README.md"


@cache
def readme_text() -> str:
    return README.read_text(encoding="utf-8") if README.exists() else ""


def help_page() -> None:
    with frame("help.title"):
        # header-ids: in-app links point at sections, e.g. /help#consent
        ui.markdown(readme_text(), extras=["fenced-code-blocks", "tables", "header-ids"]).classes("w-full")


def register() -> None:
    ui.page("/help")(requires(VIEWER)(help_page))
