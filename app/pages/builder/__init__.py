"""The journey builder: /journeys/{id} edits the draft; /journeys/{id}/versions/{n} shows a version read-only."""

from __future__ import annotations

from nicegui import ui

from app.access.policy import MARKETER, VIEWER, requires
from app.authoring.draft_editor import DraftEditor
from app.core.context import current
from app.core.theme import frame
from app.i18n import t
from app.pages.builder.choices import load_choices
from app.pages.builder.panel import NodePanel
from app.pages.builder.tab import Builder, tr
from app.wording import explain, say
from components.canvas_view import edge_views, node_views, palette
from components.journey_canvas import JourneyCanvas
from journeys import document
from journeys.validation import validate
from storage import journeys as store
from storage.journeys import NotFound


def _not_found(message: str) -> None:
    with frame(t("builder.not_found")):
        ui.label(message).classes("text-gray-600").mark("not-found")
        ui.link(t("nav.journeys"), "/")


def builder_page(journey_id: int) -> None:
    ctx = current()
    try:
        editor = DraftEditor(ctx, journey_id)
    except NotFound:
        _not_found(t("builder.no_journey", id=journey_id))
        return
    with frame(editor.doc.name):
        Builder(ctx, editor).render()


def version_page(journey_id: int, version: int) -> None:
    ctx = current()
    with ctx.db.session() as session:
        try:
            journey = store.get_journey(session, journey_id=journey_id)
        except NotFound:
            _not_found(t("builder.no_journey", id=journey_id))
            return
        match = [v for v in store.list_versions(session, journey_id=journey_id) if v.version == version]
    if not match:
        _not_found(t("builder.no_version", version=version))
        return
    doc = document.parse(match[0].document)
    with frame(journey.name):
        with ui.row().classes("w-full items-center bg-amber-100 p-2 rounded").mark("readonly-banner"):
            ui.icon("lock")
            ui.label(t("builder.readonly_version", version=version)).classes("grow")
            ui.link(t("builder.back_to_draft"), f"/journeys/{journey_id}")
        with ui.row().classes("w-full no-wrap gap-2"):
            canvas = JourneyCanvas(palette=palette(tr), readonly=True).classes("grow border rounded")
            canvas.style("height: calc(100vh - 220px)").mark("canvas")
            with ui.column().classes("w-96 flex-none"):
                panel = NodePanel(load_choices(ctx), on_change=lambda *_: None, readonly=True)
        nodes = node_views(doc, validate(doc), tr, say=say, explain=explain)
        canvas.show(nodes, edge_views(doc, nodes))
        canvas.on_event("node-selected", lambda args: panel.open(doc.node(str(args.get("id"))), []))
        canvas.on_event("pane-clicked", lambda _args: panel.open(None, [], doc))
        panel.open(None, [], doc)


def register() -> None:
    ui.page("/journeys/{journey_id:int}")(requires(MARKETER)(builder_page))
    ui.page("/journeys/{journey_id:int}/versions/{version:int}")(requires(VIEWER)(version_page))
