"""When another tab saved the draft first: say so once, keep what this tab typed, and let the user choose.

The choices are the ones a shared document editor offers: keep my version (overwrite the other one), or load the
latest version, with every text typed here shown read-only so it can be copied back. Nothing typed is dropped
without the user seeing it.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.access.guard import guarded
from app.access.policy import MARKETER
from app.authoring.draft_editor import DraftEditor
from app.i18n import t
from journeys.diff import diff
from journeys.document import JourneyDocument
from storage.journeys import StaleRevision


def typed_texts(base: JourneyDocument, mine: JourneyDocument) -> list[tuple[str, str]]:
    """(step, text) for each text typed in this tab since ``base``, the version it last read or saved."""
    changes = diff(base, mine)
    names = {n.id: n.name or n.id for n in mine.nodes}
    found: list[tuple[str, str]] = []
    for node_change in changes.nodes_changed:
        for change in node_change.changes:
            if isinstance(change.after, str) and change.after.strip():
                found.append((names.get(node_change.id, node_change.id), change.after))
    for node_id in changes.nodes_added:
        node = mine.node(node_id)
        if node is not None:
            texts = [node.name] + [v for v in node.config.values() if isinstance(v, str) and v.strip()]
            found.extend((names[node_id], text) for text in texts if text)
    return found


class ConflictBanner:
    """Shown once per conflict, above the canvas, until the user picks a way forward."""

    def __init__(self, editor: DraftEditor, *, on_resolved: Callable[[], None]) -> None:
        self.editor = editor
        self.on_resolved = on_resolved
        self.shown = False
        self.box = ui.column().classes("w-full gap-1").mark("conflict")

    def show(self) -> None:
        if self.shown:
            return
        self.shown = True
        ui.notify(t("wording.conflict.title"), type="warning", multi_line=True)
        self.box.clear()
        with self.box, ui.row().classes("w-full bg-amber-100 text-amber-950 p-2 rounded items-center"):
            ui.icon("sync_problem")
            ui.label(t("wording.conflict.title")).classes("grow").mark("stale-banner")
            ui.button(t("wording.conflict.overwrite"), on_click=self.overwrite).props("dense no-caps").mark(
                "conflict-overwrite"
            )
            ui.button(t("wording.conflict.load_latest"), on_click=self.load_latest).props("outline dense no-caps").mark(
                "conflict-reload"
            )

    @guarded(MARKETER)
    def overwrite(self) -> None:
        try:
            self.editor.overwrite()
        except StaleRevision:  # saved elsewhere again meanwhile: the choice stays open
            ui.notify(t("wording.conflict.title"), type="warning")
            return
        self._resolved()
        ui.notify(t("wording.conflict.overwritten"), type="positive")

    @guarded(MARKETER)
    def load_latest(self) -> None:
        texts = typed_texts(self.editor.base, self.editor.doc)
        self.editor.reload()
        self._resolved()
        if texts:
            self._show_typed(texts)

    def _resolved(self) -> None:
        self.shown = False
        self.box.clear()
        self.on_resolved()

    def _show_typed(self, texts: list[tuple[str, str]]) -> None:
        with self.box, ui.card().classes("w-full bg-gray-50").props("flat bordered").mark("typed-texts"):
            with ui.row().classes("w-full items-center"):
                ui.label(t("wording.conflict.typed")).classes("grow font-medium")
                ui.button(icon="close", on_click=self.box.clear).props("flat dense round")
            for step, text in texts:
                field = ui.textarea(step, value=text).props("outlined dense readonly autogrow").classes("w-full")
                field.mark("typed-text")
