"""Segments page (/segments): a condition builder with pickers, a live count and a sample of members."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui
from pydantic import ValidationError

from app.access.guard import guarded
from app.access.policy import MARKETER, requires
from app.audience import segment_builder as sb
from app.audience import segment_service
from app.core.context import current
from app.core.theme import frame
from app.i18n import t
from components.node_forms.conditions import PREDICTED_KEYS
from journeys import predictions
from journeys.condition_values import parse_scalar, parse_typed, show_typed
from journeys.conditions import SegmentCycle, UnknownSegment
from storage import segments as store

MAX_DEPTH = 3
PROBLEMS = (ValidationError, UnknownSegment, SegmentCycle, ValueError)


def _options(keys: dict[str, str], values: list[str]) -> dict[str, str]:
    """Each value with its name, from the value's key in ``keys``."""
    return {value: t(keys[value]) for value in values}


def _problem(exc: Exception) -> str:
    if isinstance(exc, ValidationError):
        first = exc.errors()[0]
        return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
    return str(exc)


class SegmentEditor:
    """The state of one open page: the tree being edited and which saved segment it came from."""

    def __init__(self) -> None:
        self.name = ""
        self.original: str | None = None
        self.tree: dict[str, Any] = sb.default_leaf("group")
        self.saved: list[tuple[str, int]] = []

    # ----- data -----------------------------------------------------------------------------------------
    def load_saved(self) -> None:
        ctx = current()
        with ctx.db.session() as session:
            rows = store.list_segments(session)
            self.saved = [(row.name, self._count(session, row.condition)) for row in rows]

    def _count(self, session: Any, condition: Any) -> int:
        try:
            return store.count_segment(session, condition=condition, now=current().clock.now())
        except PROBLEMS:
            return 0

    def open(self, name: str | None) -> None:
        self.original, self.name = name, name or ""
        self.tree = sb.default_leaf("group")
        if name:
            with current().db.session() as session:
                tree = store.get_segment(session, name=name).condition
            is_group = tree.get("kind") == "group"
            self.tree = tree if is_group else {"kind": "group", "match": "all", "conditions": [tree]}
        self.builder.refresh()
        self.preview.refresh()

    @guarded(MARKETER)
    def save(self) -> None:
        ctx = current()
        try:
            segment_service.save_segment(ctx, name=self.name, condition=sb.prune(self.tree), original=self.original)
        except (*PROBLEMS, store.DuplicateSegment) as exc:
            ui.notify(_problem(exc), type="negative")
            return
        first_save = self.original is None
        self.original = self.original or self.name.strip()
        ui.notify(t("segments.saved_ok"), type="positive")
        self.load_saved()
        self.saved_list.refresh()
        if first_save:
            self.builder.refresh()  # the name is now fixed and the segment can be deleted

    @guarded(MARKETER)
    def delete(self) -> None:
        if not self.original:
            return
        with current().db.session() as session:
            store.delete_segment(session, name=self.original)
        ui.notify(t("segments.deleted"))
        self.load_saved()
        self.saved_list.refresh()
        self.open(None)

    def changed(self) -> None:
        self.preview.refresh()

    # ----- UI -------------------------------------------------------------------------------------------
    def build(self) -> None:
        self.load_saved()
        with ui.row().classes("w-full gap-6 items-start no-wrap"):
            with ui.column().classes("w-64 gap-2"):
                ui.label(t("segments.saved")).classes("text-lg font-medium")
                ui.button(t("segments.new"), icon="add", on_click=lambda: self.open(None)).props("flat").mark("new")
                self.saved_list()
            with ui.column().classes("grow gap-4"):
                self.builder()
                self.preview()

    @ui.refreshable
    def saved_list(self) -> None:
        if not self.saved:
            ui.label(t("segments.none")).classes("text-gray-500")
        for name, count in self.saved:
            with ui.row().classes("w-full items-center cursor-pointer").mark("saved-segment") as row:
                ui.label(name).classes("grow")
                ui.badge(str(count))
            row.on("click", lambda _e, n=name: self.open(n))

    @ui.refreshable
    def builder(self) -> None:
        with ui.row().classes("w-full items-center gap-4"):
            name = ui.input(t("segments.name"), value=self.name).classes("grow").mark("segment-name")
            name.on_value_change(lambda e: setattr(self, "name", e.value or ""))
            if self.original:
                name.disable()
            ui.button(t("segments.save"), icon="save", on_click=self.save).mark("save")
            if self.original:
                ui.button(t("segments.delete"), icon="delete", on_click=self.delete).props("flat color=negative")
        self.render_group(self.tree, None, 0)

    def render_group(self, group: dict[str, Any], parent: list[dict[str, Any]] | None, depth: int) -> None:
        with ui.card().classes("w-full gap-2").props("flat bordered").mark(f"group-{depth}"):
            with ui.row().classes("items-center gap-2"):
                ui.label(t("segments.match"))
                self._select(group, "match", _options(sb.MATCH_KEYS, ["all", "any"]), marker="match")
                if parent is not None:
                    self._remove_button(parent, group)
            for child in group["conditions"]:
                if child.get("kind") == "group":
                    self.render_group(child, group["conditions"], depth + 1)
                else:
                    self.render_leaf(child, group["conditions"])
            with ui.row().classes("gap-2"):
                ui.button(
                    t("segments.add_condition"), icon="add", on_click=lambda: self._add(group, "attribute")
                ).props("flat dense").mark("add-condition")
                if depth + 1 < MAX_DEPTH:
                    ui.button(
                        t("segments.add_group"), icon="account_tree", on_click=lambda: self._add(group, "group")
                    ).props("flat dense").mark("add-group")

    def _add(self, group: dict[str, Any], kind: str) -> None:
        group["conditions"].append(sb.default_leaf(kind, [name for name, _ in self.saved]))
        self.builder.refresh()
        self.changed()

    def _remove_button(self, siblings: list[dict[str, Any]], node: dict[str, Any]) -> None:
        def remove() -> None:
            siblings.remove(node)
            self.builder.refresh()
            self.changed()

        ui.button(icon="close", on_click=remove).props("flat round dense").tooltip(t("segments.remove"))

    def _replace_kind(self, siblings: list[dict[str, Any]], node: dict[str, Any], kind: str) -> None:
        siblings[siblings.index(node)] = sb.default_leaf(kind, [name for name, _ in self.saved])
        self.builder.refresh()
        self.changed()

    def _select(self, node: dict[str, Any], key: str, options: dict[str, str], *, marker: str = "") -> ui.select:
        def update(e: Any) -> None:
            node[key] = e.value
            if key == "op" and "value" in node:  # keep what was typed, typed for the new operator
                node["value"] = parse_typed(show_typed(node["value"]), e.value)
            self.changed()

        return ui.select(options, value=node.get(key), on_change=update).props("dense").mark(marker)

    def _text(self, node: dict[str, Any], key: str, label: str, *, parse: Callable[[str], Any] = str, marker: str = ""):
        def update(e: Any) -> None:
            node[key] = parse(e.value or "")
            self.changed()

        return ui.input(label, value=show_typed(node.get(key)), on_change=update).props("dense").mark(marker)

    def _number(self, node: dict[str, Any], key: str, label: str, *, marker: str = "") -> ui.number:
        def update(e: Any) -> None:
            node[key] = e.value
            self.changed()

        return ui.number(label, value=node.get(key), on_change=update).props("dense").classes("w-28").mark(marker)

    def render_leaf(self, leaf: dict[str, Any], siblings: list[dict[str, Any]]) -> None:
        with ui.row().classes("w-full items-center gap-2 no-wrap").mark("condition"):
            kind = ui.select(_options(sb.KIND_KEYS, sb.KINDS), value=leaf["kind"]).props("dense").mark("kind")
            kind.on_value_change(lambda e: self._replace_kind(siblings, leaf, e.value))
            LEAF_FIELDS[leaf["kind"]](self, leaf)
            self._remove_button(siblings, leaf)

    @ui.refreshable
    def preview(self) -> None:
        ctx = current()
        try:
            with ctx.db.session() as session:
                tree = sb.prune(self.tree)
                count = store.count_segment(session, condition=tree, now=ctx.clock.now())
                sample = store.sample_segment(session, condition=tree, now=ctx.clock.now(), limit=10)
        except PROBLEMS as exc:
            ui.label(t("segments.count_error", error=_problem(exc))).classes("text-negative").mark("count")
            return
        ui.label(t("segments.count", count=f"{count:,}")).classes("text-xl font-semibold").mark("count")
        ui.label(t("segments.sample")).classes("font-medium")
        if not sample:
            ui.label(t("segments.sample.empty")).classes("text-gray-500")
            return
        columns = [
            {"name": "contact", "label": t("segments.col.contact"), "field": "contact", "align": "left"},
            {"name": "platform", "label": t("segments.col.platform"), "field": "platform", "align": "left"},
            {"name": "last_seen", "label": t("segments.col.last_seen"), "field": "last_seen", "align": "left"},
        ]
        rows = [
            {
                "id": row["id"],
                "contact": row["email"] or row["external_id"] or row["phone"] or f"#{row['id']}",
                "platform": row["platform"] or "",
                "last_seen": row["last_seen_at"].strftime("%Y-%m-%d %H:%M") if row["last_seen_at"] else "",
            }
            for row in sample
        ]
        ui.table(columns=columns, rows=rows, row_key="id").classes("w-full").props("flat dense").mark("sample")


def _typed_for(leaf: dict[str, Any]) -> Callable[[str], Any]:
    return lambda text: parse_typed(text, leaf["op"])


def _attribute_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._text(leaf, "attribute", t("segments.field.attribute"), marker="attribute")
    editor._select(leaf, "op", _options(sb.OP_KEYS, sb.ATTRIBUTE_OPS), marker="op")
    editor._text(leaf, "value", t("segments.field.value"), parse=lambda s: parse_typed(s, leaf["op"]), marker="value")


def _performed_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._text(leaf, "event", t("segments.field.event"), marker="event")
    editor._select(leaf, "op", _options(sb.OP_KEYS, ["at_least", "at_most"]))
    editor._number(leaf, "count", t("segments.field.count"), marker="count-input")
    within = leaf.get("within") or {"amount": None, "unit": "days"}

    def set_within(amount: Any = None, unit: str | None = None) -> None:
        current_within = leaf.get("within") or {"amount": None, "unit": "days"}
        amount = current_within["amount"] if amount is None else amount
        unit = unit or current_within["unit"]
        leaf["within"] = None if amount in (None, "") else {"amount": int(amount), "unit": unit}
        editor.changed()

    ui.number(t("segments.field.within"), value=within["amount"], on_change=lambda e: set_within(amount=e.value)).props(
        "dense"
    ).classes("w-32").mark("within")
    ui.select(_options(sb.UNIT_KEYS, sb.UNITS), value=within["unit"], on_change=lambda e: set_within(unit=e.value))


def _seen_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._select(leaf, "op", _options(sb.OP_KEYS, sb.SEEN_OPS))
    editor._text(leaf, "value", t("segments.field.value"), parse=parse_scalar, marker="value")


def _choice_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._select(leaf, "op", _options(sb.OP_KEYS, sb.CHOICE_OPS))
    editor._text(leaf, "value", t("segments.field.value"), parse=lambda s: parse_typed(s, leaf["op"]), marker="value")


def _geofence_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._number(leaf, "lat", t("segments.field.lat"), marker="lat")
    editor._number(leaf, "lon", t("segments.field.lon"), marker="lon")
    editor._number(leaf, "radius_m", t("segments.field.radius"), marker="radius")


def _consent_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._select(leaf, "channel", {c: c for c in sb.CHANNELS})
    editor._select(leaf, "status", _options(sb.STATUS_KEYS, ["subscribed", "unsubscribed"]))


def _segment_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    names = [name for name, _ in editor.saved if name != editor.original]
    editor._select(leaf, "segment", {n: n for n in names}, marker="segment-ref")
    ui.checkbox(t("segments.field.negate"), value=leaf.get("negate", False)).on_value_change(
        lambda e: (leaf.__setitem__("negate", e.value), editor.changed())
    )


def _predicted_fields(editor: SegmentEditor, leaf: dict[str, Any]) -> None:
    editor._text(leaf, "goal", t("segments.field.goal"), parse=lambda s: s.strip(), marker="goal")
    chosen = "band" if leaf.get("measure") == "band" else leaf.get("op", "gte")

    def pick(e: Any) -> None:
        leaf["measure"], leaf["op"] = predictions.TESTS[e.value]
        editor.changed()

    options = _options(PREDICTED_KEYS, list(predictions.TESTS))
    ui.select(options, value=chosen, on_change=pick).props("dense").mark("predicted-test")
    editor._text(leaf, "value", t("segments.field.value"), parse=parse_scalar, marker="value")


LEAF_FIELDS: dict[str, Callable[[SegmentEditor, dict[str, Any]], None]] = {
    "attribute": _attribute_fields,
    "performed": _performed_fields,
    "last_seen": _seen_fields,
    "first_seen": _seen_fields,
    "platform": _choice_fields,
    "time_zone": _choice_fields,
    "geofence": _geofence_fields,
    "consent": _consent_fields,
    "segment": _segment_fields,
    "predicted": _predicted_fields,
}


def segments_page() -> None:
    with frame(t("segments.title")):
        SegmentEditor().build()


def register() -> None:
    ui.page("/segments")(requires(MARKETER)(segments_page))
