"""Dialogs of the journeys page: new journey (blank or template), import, rename, delete confirmation."""

from __future__ import annotations

from collections.abc import Callable

from nicegui import events, ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import MARKETER
from app.authoring import service as svc
from app.core.context import AppContext
from app.core.theme import use_language
from app.i18n import current_language, t, tn
from journeys.document import MAX_DOCUMENT_BYTES
from journeys.templates import list_templates
from storage.journeys import JourneyRow

BUILDER_PREFIX = "/journeys/"


class NewJourneyDialog:
    """Name, then a blank journey or one of the templates (cards with description and category)."""

    def __init__(self, ctx: AppContext, *, on_created: Callable[[], None]) -> None:
        self.ctx = ctx
        self.on_created = on_created
        with ui.dialog() as self.dialog, ui.card().classes("w-[56rem] max-w-full gap-4"):
            ui.label(t("journeys.new.title")).classes("text-xl font-semibold")
            self.name = (
                ui.input(t("journeys.new.name"), placeholder=t("journeys.new.default_name"))
                .props("maxlength=200 counter")
                .classes("w-full")
                .mark("new-journey-name")
            )
            with ui.card().props("flat bordered").classes("w-full"), ui.row().classes("w-full items-center"):
                with ui.column().classes("grow gap-0"):
                    ui.label(t("journeys.new.blank")).classes("font-medium")
                    ui.label(t("journeys.new.blank_hint")).classes("text-sm text-gray-600")
                ui.button(t("journeys.new.create"), on_click=lambda: self.create(None)).mark("create-blank")
            ui.label(t("journeys.new.from_template")).classes("text-lg font-medium")
            with ui.grid(columns=3).classes("w-full gap-3"):
                for template in (found.translated(current_language()) for found in list_templates()):
                    self.template_card(template.slug, template.name, template.description, template.category)
            with ui.row().classes("w-full justify-end"):
                ui.button(t("common.cancel"), on_click=self.dialog.close).props("flat")

    def template_card(self, slug: str, name: str, description: str, category: str) -> None:
        with ui.card().props("flat bordered").classes("gap-2").mark(f"template-{slug}"):
            if category:
                ui.badge(category).props("outline")
            ui.label(name).classes("font-medium")
            ui.label(description).classes("text-sm text-gray-600 grow")
            ui.button(t("journeys.new.use_template"), on_click=lambda: self.create(slug)).props("flat dense").mark(
                f"use-template-{slug}"
            )

    def open(self) -> None:
        self.name.value = ""
        self.dialog.open()

    @guarded(MARKETER)
    def create(self, template: str | None) -> None:
        use_language()
        try:
            access.ensure(MARKETER)
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
            return
        name = (self.name.value or "").strip()
        if len(name) > 200:
            ui.notify(t("journeys.name_required"), type="warning")
            return
        journey_id = svc.create_journey(
            self.ctx,
            name=name or ("" if template else t("journeys.new.default_name")),
            template=template,
            lang=current_language(),
        )
        self.dialog.close()
        created = next(row for row, _ in svc.list_overview(self.ctx) if row.id == journey_id)
        ui.notify(t("journeys.created", name=created.name), type="positive")
        self.on_created()
        ui.navigate.to(f"{BUILDER_PREFIX}{journey_id}")


class ImportDialog:
    """Upload a journey file; an unreadable or invalid file lists its problems and stores nothing."""

    def __init__(self, ctx: AppContext, *, on_imported: Callable[[], None]) -> None:
        self.ctx = ctx
        self.on_imported = on_imported
        with ui.dialog() as self.dialog, ui.card().classes("w-[40rem] max-w-full gap-3"):
            ui.label(t("journeys.import.title")).classes("text-xl font-semibold")
            ui.label(t("journeys.import.hint")).classes("text-sm text-gray-600")
            self.upload = (
                ui.upload(
                    on_upload=self.handle,
                    on_rejected=self.rejected,
                    auto_upload=True,
                    max_file_size=MAX_DOCUMENT_BYTES,
                )
                .props("accept=.json,application/json flat bordered")
                .classes("w-full")
                .mark("journey-upload")
            )
            self.problems = ui.column().classes("w-full gap-1").mark("import-problems")
            with ui.row().classes("w-full justify-end"):
                ui.button(t("common.close"), on_click=self.dialog.close).props("flat")

    def open(self) -> None:
        self.problems.clear()
        self.upload.reset()
        self.dialog.open()

    def rejected(self) -> None:
        use_language()
        self.problems.clear()
        self.show_problems(t("journeys.import.unreadable"), [t("journeys.import.too_large")])

    @guarded(MARKETER)
    async def handle(self, event: events.UploadEventArguments) -> None:
        use_language()
        self.problems.clear()
        raw = await event.file.read()
        try:
            journey_id = svc.import_journey(self.ctx, raw, actor=access.ensure(MARKETER).email)
        except svc.DocumentError as exc:
            self.show_problems(t("journeys.import.unreadable"), [str(exc)])
            return
        except PermissionError:
            self.show_problems(t("denied.title"), [t("denied.body")])
            return
        except svc.InvalidJourney as exc:
            heading = tn("wording.import_invalid", len(exc.violations))
            self.show_problems(heading, [str(v) for v in exc.violations])
            return
        finally:
            self.upload.reset()
        name = next(row.name for row, _ in svc.list_overview(self.ctx) if row.id == journey_id)
        ui.notify(t("journeys.import.done", name=name), type="positive")
        self.dialog.close()
        self.on_imported()

    def show_problems(self, heading: str, lines: list[str]) -> None:
        with self.problems:
            ui.label(heading).classes("font-medium text-negative").mark("import-error")
            for line in lines:
                ui.label(line).classes("text-sm font-mono text-gray-800").mark("import-violation")


def rename_dialog(ctx: AppContext, row: JourneyRow, on_done: Callable[[], None]) -> None:
    use_language()
    with ui.dialog() as dialog, ui.card().classes("w-96 gap-3"):
        ui.label(t("journeys.rename.title")).classes("text-lg font-semibold")
        name = (
            ui.input(t("journeys.new.name"), value=row.name)
            .props("maxlength=200 autofocus")
            .classes("w-full")
            .mark("rename-input")
        )

        @guarded(MARKETER)
        def save() -> None:
            use_language()
            try:
                access.ensure(MARKETER)
                new_name = svc.rename_journey(ctx, row.id, name.value or "")
            except PermissionError:
                ui.notify(t("denied.title"), type="negative")
                return
            except ValueError:
                ui.notify(t("journeys.name_required"), type="warning")
                return
            except svc.NotFound:
                ui.notify(t("journeys.not_found"), type="warning")
            else:
                ui.notify(t("journeys.renamed", name=new_name), type="positive")
            dialog.close()
            on_done()

        name.on("keydown.enter", save)
        with ui.row().classes("w-full justify-end"):
            ui.button(t("common.cancel"), on_click=dialog.close).props("flat")
            ui.button(t("common.save"), on_click=save).mark("rename-save")
    dialog.open()


def confirm_delete(ctx: AppContext, row: JourneyRow, on_done: Callable[[], None]) -> None:
    use_language()
    with ui.dialog() as dialog, ui.card().classes("w-[28rem] gap-3"):
        ui.label(t("journeys.delete.title", name=row.name)).classes("text-lg font-semibold")
        ui.label(t("journeys.delete.body")).classes("text-sm text-gray-700")

        @guarded(MARKETER)
        def delete() -> None:
            use_language()
            try:
                svc.delete_journey(ctx, row.id, actor=access.ensure(MARKETER).email)
            except svc.NotFound:
                ui.notify(t("journeys.not_found"), type="warning")
            except PermissionError:
                ui.notify(t("denied.title"), type="negative")
            else:
                ui.notify(t("journeys.deleted"), type="positive")
            dialog.close()
            on_done()

        with ui.row().classes("w-full justify-end"):
            ui.button(t("common.cancel"), on_click=dialog.close).props("flat").mark("cancel-delete")
            ui.button(t("common.delete"), on_click=delete, color="negative").mark("confirm-delete")
    dialog.open()
