"""Journeys page (``/``): the list with status and counts, create (blank or template), duplicate, rename,
delete, import and export, and the demo workspace on first run."""

from __future__ import annotations

from nicegui import run, ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import MARKETER, VIEWER, requires
from app.authoring import service as svc
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.demo import workspace as demo
from app.i18n import current_language, t
from app.pages.journey_dialogs import ImportDialog, NewJourneyDialog, confirm_delete, rename_dialog
from storage.journey_stats import JourneyCounts
from storage.journeys import JourneyRow

STATUS_COLOURS = {"draft": "grey-7", "live": "positive", "paused": "warning", "archived": "grey-5"}


class JourneysView:
    """One user's journeys list; every action re-reads the database and redraws the list."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.new_dialog = NewJourneyDialog(ctx, on_created=self.refresh)
        self.import_dialog = ImportDialog(ctx, on_imported=self.refresh)

    def build(self) -> None:
        with ui.row().classes("w-full items-center gap-2"):
            ui.button(t("journeys.new"), icon="add", on_click=self.new_dialog.open).mark("new-journey")
            ui.button(t("journeys.import"), icon="upload_file", on_click=self.import_dialog.open).props("outline").mark(
                "import-journey"
            )
        self.body()

    @ui.refreshable_method
    def body(self) -> None:
        use_language()
        overview = svc.list_overview(self.ctx)
        if not overview:
            self.empty_state()
            return
        with ui.column().classes("w-full gap-2").mark("journey-list"):
            for row, counts in overview:
                self.journey_card(row, counts)

    def refresh(self) -> None:
        self.body.refresh()

    def empty_state(self) -> None:
        with ui.card().classes("w-full items-center p-8 gap-3 text-center").mark("empty-state"):
            ui.icon("alt_route", size="3rem").classes("text-indigo-300")
            ui.label(t("journeys.empty.title")).classes("text-lg font-medium")
            ui.label(t("journeys.empty.hint")).classes("text-gray-600 max-w-xl")
            if demo.workspace_is_empty(self.ctx):
                ui.button(t("demo.load"), icon="auto_awesome", on_click=self.load_demo).mark("load-demo")
                ui.label(t("demo.hint")).classes("text-xs text-gray-500 max-w-xl")

    def journey_card(self, row: JourneyRow, counts: JourneyCounts) -> None:
        card = ui.card().classes("w-full").props("flat bordered").mark(f"journey-{row.id}")
        with card, ui.row().classes("w-full items-center gap-3 no-wrap"):
            with ui.column().classes("flex-1 gap-0 min-w-0 overflow-hidden"):
                ui.link(row.name, f"/journeys/{row.id}").classes(
                    "text-lg font-medium text-indigo-900 no-underline truncate block w-full"
                ).mark("journey-name")
                if row.description:
                    ui.label(row.description).classes("text-sm text-gray-600 truncate w-full")
            with ui.element("div").classes("w-24 shrink-0 text-center"):
                ui.badge(t(f"journeys.status.{row.status}"), color=STATUS_COLOURS.get(row.status, "grey")).mark(
                    "journey-status"
                )
            version = (
                t("journeys.live_version", version=row.live_version)
                if row.live_version
                else t("journeys.not_published")
            )
            ui.label(version).classes("text-sm text-gray-700 w-28 shrink-0")
            ui.label(t("journeys.counts", entered=counts.entered, in_progress=counts.in_progress)).classes(
                "text-sm text-gray-700 w-44 shrink-0"
            )
            ui.label(t("journeys.updated", when=row.updated_at.strftime("%Y-%m-%d %H:%M"))).classes(
                "text-xs text-gray-500 w-44 shrink-0 whitespace-nowrap"
            )
            self.actions(row)

    def actions(self, row: JourneyRow) -> None:
        with ui.button(icon="more_vert").props("flat round").mark(f"actions-{row.id}"), ui.menu():
            ui.menu_item(t("journeys.open"), on_click=lambda: ui.navigate.to(f"/journeys/{row.id}"))
            ui.menu_item(
                t("funnels.open_analytics"), on_click=lambda: ui.navigate.to(f"/journeys/{row.id}/analytics")
            ).mark(f"analytics-{row.id}")
            ui.menu_item(t("journeys.rename"), on_click=lambda: rename_dialog(self.ctx, row, self.refresh)).mark(
                f"rename-{row.id}"
            )
            ui.menu_item(t("journeys.duplicate"), on_click=lambda: self.duplicate(row.id)).mark(f"duplicate-{row.id}")
            ui.menu_item(t("journeys.export"), on_click=lambda: self.export(row)).mark(f"export-{row.id}")
            if row.status != "archived":
                ui.menu_item(t("journeys.archive"), on_click=lambda: self.archive(row.id)).mark(f"archive-{row.id}")
            ui.menu_item(t("journeys.delete"), on_click=lambda: confirm_delete(self.ctx, row, self.refresh)).mark(
                f"delete-{row.id}"
            )

    @guarded(MARKETER)
    def duplicate(self, journey_id: int) -> None:
        use_language()
        try:
            access.ensure(MARKETER)
            svc.duplicate_journey(self.ctx, journey_id)
        except svc.NotFound:
            ui.notify(t("journeys.not_found"), type="warning")
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
        else:
            ui.notify(t("journeys.duplicated"), type="positive")
        self.refresh()

    @guarded(MARKETER)
    def archive(self, journey_id: int) -> None:
        use_language()
        try:
            svc.change_status(self.ctx, journey_id, "archive", actor=access.ensure(MARKETER).email)
        except svc.NotFound:
            ui.notify(t("journeys.not_found"), type="warning")
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
        else:
            ui.notify(t("journeys.archived"), type="positive")
        self.refresh()

    def export(self, row: JourneyRow) -> None:
        use_language()
        try:
            text = svc.export_journey(self.ctx, row.id, actor=access.current_actor())
        except svc.NotFound:
            ui.notify(t("journeys.not_found"), type="warning")
            self.refresh()
            return
        ui.download.content(text.encode("utf-8"), f"journey-{row.id}.json", "application/json")

    @guarded(MARKETER)
    async def load_demo(self) -> None:
        use_language()
        try:
            access.ensure(MARKETER)  # filling the workspace with contacts is a marketer's act, not a viewer's
            actor, lang = access.current_actor(), current_language()  # the worker thread knows neither
            summary = await run.io_bound(demo.load_demo, self.ctx, actor=actor, lang=lang)
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
        except demo.WorkspaceNotEmpty:
            ui.notify(t("demo.already"), type="warning")
        else:
            ui.notify(
                t("demo.loaded", journeys=summary.journeys, contacts=summary.contacts, events=summary.events),
                type="positive",
            )
        self.refresh()


def journeys_page() -> None:
    ctx = current()
    with frame("journeys.title"):
        JourneysView(ctx).build()


def register() -> None:
    ui.page("/")(requires(VIEWER)(journeys_page))
