"""Publish with a review: what changes from the last published version (steps added, changed and removed, by
name), the likely audience and who each message channel would skip, the forecast of the next 7 days
(app/pages/builder/forecast_view.py), then Publish or Cancel.

The changes come from journeys/diff.py (the same diff as ``journey diff`` and the API); moving steps on the canvas
is layout and not listed. While the review is open the canvas outlines the steps added (green, "New") and changed
(amber, "Changed"); removed steps are gone from the draft, so only the list names them. The dialog opens on the
right over a lightly dimmed canvas, and clicking a listed step centres the canvas on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

from nicegui import ui

from app.authoring import reach
from app.authoring.draft_editor import DraftEditor
from app.core.context import AppContext
from app.i18n import t
from app.pages.builder.forecast_view import ForecastBox
from app.pages.builder.reach_view import show_estimate
from components.journey_canvas import BESIDE, MARKS, JourneyCanvas
from journeys import document
from journeys.diff import diff
from journeys.document import JourneyDocument
from journeys.nodes import REGISTRY
from storage import journeys as store

# Each kind of change to a step: its icon, colour and name.
KINDS = {
    "added": ("add_circle", "positive", "review.kind.added"),
    "changed": ("edit", "warning", "review.kind.changed"),
    "removed": ("remove_circle", "negative", "review.kind.removed"),
}


@dataclass(frozen=True)
class Changes:
    version: int | None  # the version being replaced; None before the first publication
    steps: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, node id, step name)
    journey_settings: bool = False
    connections: int = 0  # connections added or removed

    @property
    def nothing(self) -> bool:
        return self.version is not None and not (self.steps or self.journey_settings or self.connections)

    @property
    def drawable(self) -> dict[str, str]:
        """Node id -> "added" | "changed": the steps still in the draft, which the canvas can outline."""
        return {node_id: kind for kind, node_id, _name in self.steps if kind in MARKS}


def step_name(doc: JourneyDocument, node_id: str) -> str:
    node = doc.node(node_id)
    if node is None:
        return node_id
    spec = REGISTRY.get(node.type)
    if node.name:
        return node.name
    label = t(f"builder.node.{node.type}")
    return label if label != f"builder.node.{node.type}" else (spec.label if spec else node.type)


def changes(ctx: AppContext, journey_id: int, draft: JourneyDocument) -> Changes:
    with ctx.db.session() as session:
        versions = store.list_versions(session, journey_id=journey_id)  # newest first
    if not versions:
        return Changes(None)
    before = document.parse(versions[0].document)
    found = diff(before, draft)
    steps = [("added", n, step_name(draft, n)) for n in found.nodes_added]
    steps += [("changed", c.id, step_name(draft, c.id)) for c in found.nodes_changed]
    steps += [("removed", n, step_name(before, n)) for n in found.nodes_removed]
    connections = len(found.edges_added) + len(found.edges_removed)
    return Changes(versions[0].version, steps, bool(found.journey), connections)


class PublishReview:
    """The dialog opened by Publish; ``on_confirm`` publishes (and checks the role again when it runs)."""

    def __init__(
        self,
        ctx: AppContext,
        editor: DraftEditor,
        on_confirm: Callable[[], None],
        canvas: JourneyCanvas | None = None,
        on_focus: Callable[[str], None] | None = None,
    ) -> None:
        """With ``canvas`` the changes are drawn on it; ``on_focus`` (by default: centre the canvas on the
        step) runs when a listed step still in the draft is clicked."""
        self.ctx, self.editor, self.on_confirm, self.canvas = ctx, editor, on_confirm, canvas
        self.on_focus = on_focus or (canvas.focus_node if canvas is not None else None)

    def open(self) -> None:
        doc = self.editor.doc
        found = changes(self.ctx, self.editor.journey_id, doc)
        # On the right, over the side panel: the canvas stays in sight with the changes drawn on it.
        with (
            ui.dialog().props("position=right").classes(BESIDE) as self.dialog,
            ui.card().classes("w-[30rem] max-w-full h-screen gap-3 no-wrap").mark("publish-review"),
        ):
            ui.label(t("review.title")).classes("text-lg font-semibold")
            # The body scrolls inside a full-height card, so the buttons below never move when the forecast
            # arrives a moment after the dialog opened.
            with ui.column().classes("w-full gap-3 no-wrap grow overflow-y-auto"):
                self.show_changes(found)
                ui.separator()
                show_estimate(reach.estimate(self.ctx, doc), marker="review-reach")
                ui.separator()
                ForecastBox(self.ctx, self.editor.journey_id)
            problems = len(self.editor.violations)
            if problems:
                ui.label(t("review.problems", count=problems)).classes("text-negative").mark("review-problems")
            with ui.row().classes("w-full justify-end gap-2"):
                ui.button(t("review.cancel"), on_click=self.close).props("flat no-caps").mark("review-cancel")
                ui.button(t("review.confirm"), icon="rocket_launch", on_click=self.confirm).props("no-caps").mark(
                    "review-confirm"
                )
        self.dialog.on("hide", self.finish)  # closed by Escape or a click beside it too
        if self.canvas is not None:
            labels = {"added": t("reviewcanvas.badge.added"), "changed": t("reviewcanvas.badge.changed")}
            self.canvas.highlight(found.drawable, labels)
        self.dialog.open()

    def show_changes(self, found: Changes) -> None:
        with ui.column().classes("w-full gap-1").mark("review-changes"):
            if found.version is None:
                ui.label(t("review.first")).classes("font-medium").mark("review-first")
                return
            ui.label(t("review.against", version=found.version)).classes("font-medium")
            if found.nothing:
                ui.label(t("review.nothing")).classes("text-sm text-gray-600").mark("review-nothing")
            for kind, node_id, name in found.steps:
                icon, colour, label = KINDS[kind]
                with ui.row().classes("items-center gap-2 no-wrap").mark(f"review-{kind}-{node_id}") as row:
                    if self.on_focus is not None and kind in MARKS:
                        row.classes("cursor-pointer").on("click", partial(self.on_focus, node_id))
                        row.tooltip(t("reviewcanvas.show"))
                    ui.icon(icon, color=colour).classes("text-base")
                    ui.label(t(label)).classes("text-xs uppercase text-gray-500 w-20")
                    ui.label(name).classes("text-sm")
            if found.journey_settings:
                ui.label(t("review.settings")).classes("text-sm")
            if found.connections:
                ui.label(t("review.connections", count=found.connections)).classes("text-sm text-gray-600")

    def finish(self) -> None:
        """The review is over: the canvas loses its marks and the dialog leaves the page (one review at a time)."""
        if self.canvas is not None:
            self.canvas.clear_highlight()
        if not self.dialog.is_deleted:
            self.dialog.delete()

    def close(self) -> None:
        self.dialog.close()
        self.finish()

    def confirm(self) -> None:
        self.on_confirm()  # first: its notifications belong to this dialog's slot, gone once it is deleted
        self.close()
