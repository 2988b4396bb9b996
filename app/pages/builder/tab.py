"""The journey builder of one browser tab: canvas + side panel + toolbar, wired to a DraftEditor."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from pydantic import ValidationError

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import MARKETER
from app.authoring.draft_editor import DraftEditor
from app.authoring.service import InvalidJourney, StatusError
from app.core.context import AppContext
from app.i18n import t, tn
from app.pages.builder.choices import load_choices, node_counts
from app.pages.builder.conflict import ConflictBanner
from app.pages.builder.panel import NodePanel, problem_list
from app.pages.builder.reach_view import ReachBox
from app.pages.builder.review import PublishReview
from app.wording import explain, say
from components.canvas_view import edge_views, node_views, palette
from components.journey_canvas import JourneyCanvas
from journeys import editing, insertion
from journeys.document import Goal, JourneyDocument, JourneySettings
from journeys.layout import auto_layout
from journeys.validation import CODES
from storage import journeys as store
from storage.journeys import StaleRevision

CANVAS_HEIGHT = "calc(100vh - 230px)"
CANVAS_KEYS = ("search", "no_match", "add_step", "collapse", "expand", "minimap")
FULL_BLEED = "width: calc(100vw - 2rem); margin-left: calc(50% - 50vw + 1rem)"


def tr(key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def canvas_texts() -> dict[str, str]:
    texts = {"palette": t("builder.palette"), "empty": t("builder.canvas_empty")}
    return texts | {key: t(f"canvas.{key}") for key in CANVAS_KEYS}


class Builder:
    def __init__(self, ctx: AppContext, editor: DraftEditor) -> None:
        self.ctx = ctx
        self.editor = editor
        self.choices = load_choices(ctx)
        self.selected: str | None = None

    # ---- layout -------------------------------------------------------------------------------------
    def render(self) -> None:
        with ui.column().classes("gap-2").style(FULL_BLEED):
            self.conflict = ConflictBanner(self.editor, on_resolved=self.after_conflict)
            self.toolbar()
            with ui.row().classes("w-full no-wrap gap-2 items-stretch"):
                self.canvas = JourneyCanvas(palette=palette(tr), texts=canvas_texts())
                self.canvas.classes("grow border rounded").style(f"height: {CANVAS_HEIGHT}").mark("canvas")
                with ui.column().classes("w-96 flex-none gap-2 overflow-y-auto").style(f"height: {CANVAS_HEIGHT}"):
                    self.panel = NodePanel(
                        self.choices,
                        on_change=self.on_form_changed,
                        on_delete=self.delete_node,
                        on_settings=self.on_settings_changed,
                    )
                    self.problems_box = ui.column().classes("w-full gap-1")
                    self.reach_box = ReachBox(self.ctx)
        for name, handler in (
            ("node-added", self.on_node_added),
            ("nodes-moved", self.on_nodes_moved),
            ("edge-connected", self.on_edge_connected),
            ("elements-removed", self.on_elements_removed),
            ("nodes-pasted", self.on_nodes_pasted),
            ("node-selected", lambda args: self.select(args.get("id"))),
            ("pane-clicked", lambda _args: self.select(None)),
            ("undo", lambda _args: self.undo()),
            ("redo", lambda _args: self.redo()),
        ):
            self.canvas.on_event(name, handler)
        self.canvas.set_counts(node_counts(self.ctx, self.editor.journey_id))
        self.refresh()
        self.select(insertion.first_to_configure(self.editor.doc))

    def toolbar(self) -> None:
        with ui.row().classes("w-full items-center gap-1").mark("toolbar"):
            self.status_badge = ui.badge(t(f"builder.status.{self.editor.status}")).mark("status")
            self.save_label = ui.label().classes("text-xs text-gray-500 ml-2").mark("save-state")
            ui.space()
            ui.link(t("funnels.open_analytics"), f"/journeys/{self.editor.journey_id}/analytics").mark("analytics-link")
            self.undo_button = ui.button(icon="undo", on_click=self.undo).props("flat dense").mark("undo")
            self.undo_button.tooltip(t("builder.undo"))
            self.redo_button = ui.button(icon="redo", on_click=self.redo).props("flat dense").mark("redo")
            self.redo_button.tooltip(t("builder.redo"))
            ui.button(t("builder.auto_layout"), icon="account_tree", on_click=self.layout).props(
                "flat dense no-caps"
            ).mark("auto-layout")
            ui.button(t("builder.fit"), icon="fit_screen", on_click=lambda: self.canvas.fit_view()).props(
                "flat dense no-caps"
            )
            ui.button(t("builder.validate"), icon="rule", on_click=self.validate).props("flat dense no-caps").mark(
                "validate"
            )
            ui.button(t("builder.history"), icon="history", on_click=self.history).props("flat dense no-caps").mark(
                "history"
            )
            self.pause_button = ui.button(on_click=self.toggle_pause).props("outline dense no-caps").mark("pause")
            ui.button(t("builder.publish"), icon="rocket_launch", on_click=self.publish).props("dense no-caps").mark(
                "publish"
            )

    # ---- state -> view ---------------------------------------------------------------------------------
    def refresh(self) -> None:
        doc = self.editor.doc
        nodes = node_views(doc, self.editor.violations, tr, say=say, explain=explain)
        self.canvas.show(nodes, edge_views(doc, nodes))
        self.problems_box.clear()
        with self.problems_box:
            problem_list(self.editor.violations, doc, on_click=self.focus)
        self.undo_button.set_enabled(bool(self.editor.undo_stack) and not self.editor.stale)
        self.redo_button.set_enabled(bool(self.editor.redo_stack) and not self.editor.stale)
        self.status_badge.text = t(f"builder.status.{self.editor.status}")
        self.pause_button.set_visibility(self.editor.status in {"live", "paused"})
        self.pause_button.text = t("builder.resume" if self.editor.status == "paused" else "builder.pause")
        if self.editor.stale:
            self.save_label.text = t("wording.saving.unsaved")
        else:
            self.save_label.text = t("builder.saved", revision=self.editor.revision)
        self.panel.show_problems(self.editor.violations)
        self.reach_box.update(doc)

    def commit(self, doc: JourneyDocument, *, coalesce: str | None = None, refresh: bool = True) -> bool:
        try:
            access.ensure(MARKETER)
            self.editor.apply(doc, coalesce=coalesce)
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
            return False
        except StaleRevision:  # the edit is kept in this tab; the user is told once and chooses what to do
            self.conflict.show()
        if refresh or self.editor.stale:
            self.refresh()
        return True

    def after_conflict(self) -> None:
        self.refresh()
        self.select(self.selected)

    # ---- canvas events ---------------------------------------------------------------------------------
    @guarded(MARKETER)
    def on_node_added(self, args: dict[str, Any]) -> None:
        try:
            doc, node_id = insertion.grow(self.editor.doc, args)
        except editing.EditRefused as exc:
            ui.notify(tr(f"builder.refused.{exc.code}", str(exc)), type="warning")
            return
        if self.commit(doc):
            self.select(node_id)

    @guarded(MARKETER)
    def on_nodes_moved(self, args: dict[str, Any]) -> None:
        positions = {str(p["id"]): (float(p["x"]), float(p["y"])) for p in args.get("positions", [])}
        self.commit(editing.move_nodes(self.editor.doc, positions))

    @guarded(MARKETER)
    def on_edge_connected(self, args: dict[str, Any]) -> None:
        try:
            doc = editing.connect(
                self.editor.doc, str(args.get("source")), str(args.get("port") or "next"), str(args.get("target"))
            )
        except editing.EditRefused as exc:
            ui.notify(tr(f"builder.refused.{exc.code}", str(exc)), type="warning")
            self.refresh()
            return
        self.commit(doc)

    @guarded(MARKETER)
    def on_elements_removed(self, args: dict[str, Any]) -> None:
        nodes = [str(i) for i in args.get("nodes", [])]
        self.commit(editing.remove(self.editor.doc, nodes, [str(i) for i in args.get("edges", [])]))
        if self.selected in nodes:
            self.select(None)

    @guarded(MARKETER)
    def on_nodes_pasted(self, args: dict[str, Any]) -> None:
        doc, _new_ids = editing.paste(self.editor.doc, [str(i) for i in args.get("ids", [])])
        self.commit(doc)

    @guarded(MARKETER)
    def delete_node(self, node_id: str) -> None:
        self.on_elements_removed({"nodes": [node_id], "edges": []})

    @guarded(MARKETER)
    def on_form_changed(self, node_id: str, name: str, config: dict[str, Any]) -> None:
        doc = editing.update_node(self.editor.doc, node_id, name=name, config=config)
        self.commit(doc, coalesce=f"form:{node_id}")

    @guarded(MARKETER)
    def on_settings_changed(self, settings: dict[str, Any], goal: dict[str, Any]) -> None:
        try:
            new_settings = JourneySettings.model_validate(settings)
            new_goal = Goal.model_validate(goal) if goal.get("event") else None
        except ValidationError as exc:
            ui.notify(t("builder.settings.invalid", reason=settings_problem(exc)), type="warning")
            return
        self.commit(
            self.editor.doc.model_copy(update={"settings": new_settings, "goal": new_goal}), coalesce="settings"
        )

    # ---- selection and toolbar -------------------------------------------------------------------------
    def select(self, node_id: str | None) -> None:
        node = self.editor.doc.node(node_id) if node_id else None
        self.selected = node.id if node else None
        self.panel.open(node.model_copy(deep=True) if node else None, self.editor.violations, self.editor.doc)

    def focus(self, node_id: str) -> None:
        self.canvas.focus_node(node_id)
        self.select(node_id)

    @guarded(MARKETER)
    def undo(self) -> None:
        self._history_step(self.editor.undo)

    @guarded(MARKETER)
    def redo(self) -> None:
        self._history_step(self.editor.redo)

    def _history_step(self, step: Any) -> None:
        try:
            step()
        except StaleRevision:
            self.conflict.show()
        self.refresh()
        self.select(self.selected)

    @guarded(MARKETER)
    def layout(self) -> None:
        if self.commit(auto_layout(self.editor.doc)):
            self.canvas.fit_view()

    def validate(self) -> None:
        count = len(self.editor.violations)
        if count:
            ui.notify(tn("wording.problems_found", count), type="warning")
        else:
            ui.notify(t("builder.no_problems"), type="positive")

    @guarded(MARKETER)
    def publish(self) -> None:
        """Opens the review (changes, audience, skips); its Publish button publishes."""
        review = PublishReview(self.ctx, self.editor, self.publish_now, canvas=self.canvas, on_focus=self.focus)
        review.open()

    @guarded(MARKETER)
    def publish_now(self) -> None:
        try:
            version = self.editor.publish(access.ensure(MARKETER).email)
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
        except InvalidJourney as exc:
            ui.notify(tn("wording.publish_refused", len(exc.violations)), type="negative")
            for violation in exc.violations:  # checks made only at publish (webhook addresses): not in the panel
                if violation.code not in CODES:
                    ui.notify(str(violation), type="negative", multi_line=True)
        except StatusError as exc:
            ui.notify(str(exc), type="negative")
        else:
            ui.notify(t("builder.published", version=version), type="positive")
        self.refresh()

    @guarded(MARKETER)
    def toggle_pause(self) -> None:
        try:
            actor = access.ensure(MARKETER).email
            self.editor.change_status("resume" if self.editor.status == "paused" else "pause", actor)
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
        except StatusError as exc:
            ui.notify(str(exc), type="negative")
        self.refresh()

    def history(self) -> None:
        with self.ctx.db.session() as session:
            versions = store.list_versions(session, journey_id=self.editor.journey_id)
        with ui.dialog() as dialog, ui.card().classes("min-w-96").mark("history-dialog"):
            ui.label(t("builder.history")).classes("text-lg font-semibold")
            if not versions:
                ui.label(t("builder.no_versions")).classes("text-gray-600")
            for v in versions:
                with ui.row().classes("w-full items-center"):
                    ui.label(t("builder.version", version=v.version)).classes("font-medium")
                    ui.label(v.published_at.strftime("%Y-%m-%d %H:%M")).classes("text-gray-500 grow")
                    ui.link(t("builder.open_version"), f"/journeys/{self.editor.journey_id}/versions/{v.version}")
            ui.button(t("builder.close"), on_click=dialog.close).props("flat")
        dialog.open()


# Settings whose label the problem names (the others' messages already say which setting they are about).
SETTING_LABELS = {"holdout_percent": "roi.builder.holdout"}


def settings_problem(exc: ValidationError) -> str:
    """The first problem, led by the setting's label when it has one: "Holdout (% of entrants): ..."."""
    error = exc.errors()[0]
    name = str(error["loc"][0]) if error["loc"] else ""
    label = SETTING_LABELS.get(name)
    return f"{t(label)}: {error['msg']}" if label else error["msg"]
