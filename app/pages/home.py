"""Home: the list of journeys."""

from __future__ import annotations

from nicegui import ui

from app.access import VIEWER, requires
from app.context import current
from app.i18n import t
from app.theme import frame
from storage import journeys as store


def home_page() -> None:
    ctx = current()
    with ctx.db.session() as session:
        rows = store.list_journeys(session)
    with frame(t("journeys.title")):
        if not rows:
            with ui.card().classes("w-full items-center p-8").mark("empty-state"):
                ui.label(t("journeys.empty.title")).classes("text-lg font-medium")
                ui.label(t("journeys.empty.hint")).classes("text-gray-600")
            return
        with ui.column().classes("w-full gap-2").mark("journey-list"):
            for row in rows:
                with ui.card().classes("w-full").props("flat bordered"), ui.row().classes("w-full items-center"):
                    ui.label(row.name).classes("text-lg font-medium grow")
                    ui.badge(row.status)
                    ui.label(f"v{row.live_version}" if row.live_version else t("journeys.not_published"))
                    ui.label(row.updated_at.strftime("%Y-%m-%d %H:%M")).classes("text-gray-500")


def register() -> None:
    ui.page("/")(requires(VIEWER)(home_page))
