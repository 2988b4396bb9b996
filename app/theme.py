"""The shared page chrome: header with navigation, then the page content."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from nicegui import ui

from app.i18n import t

NAV = [("nav.journeys", "/")]


@contextmanager
def frame(title: str) -> Iterator[None]:
    ui.page_title(f"{title} · Parcours")
    with ui.header().classes("items-center bg-indigo-700 text-white gap-6 px-6"):
        ui.label("Parcours").classes("text-xl font-bold")
        for label, target in NAV:
            ui.link(t(label), target).classes("text-white no-underline")
    with ui.column().classes("w-full max-w-6xl mx-auto p-6 gap-4"):
        ui.label(title).classes("text-2xl font-semibold")
        yield
