"""Condition builders: property filters for events, and condition groups for branches."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.context import FormContext
from components.text import t
from journeys import predictions
from journeys.condition_values import parse_typed, show_typed

# Each choice with its name in the catalogs.
VALUE_OPS = {
    "eq": "builder.op.eq",
    "neq": "builder.op.neq",
    "contains": "builder.op.contains",
    "not_contains": "builder.op.not_contains",
    "in": "builder.op.in",
    "not_in": "builder.op.not_in",
    "gt": "builder.op.gt",
    "gte": "builder.op.gte",
    "lt": "builder.op.lt",
    "lte": "builder.op.lte",
    "exists": "builder.op.exists",
    "not_exists": "builder.op.not_exists",
}
KINDS = {
    "attribute": "builder.condition.attribute",
    "event_property": "builder.condition.event_property",
    "performed": "builder.condition.performed",
    "segment": "builder.condition.segment",
    "consent": "builder.condition.consent",
    "platform": "builder.condition.platform",
    "predicted": "segments.kind.predicted",
}
# The words of each predicted score test (journeys.predictions.TESTS; docs/PREDICTIONS.md).
PREDICTED_KEYS = {"band": "segments.predicted.band", "gte": "segments.predicted.gte", "lt": "segments.predicted.lt"}
CHANNELS = {
    "push": "builder.channel.push",
    "sms": "builder.channel.sms",
    "email": "builder.channel.email",
    "in_app": "builder.channel.in_app",
}
CONSENT_STATES = {"subscribed": "builder.consent.subscribed", "unsubscribed": "builder.consent.unsubscribed"}
FIELD_LABELS = {"attribute": "builder.form.attribute", "property": "builder.form.property"}


def _ops() -> dict[str, str]:
    return {op: t(key) for op, key in VALUE_OPS.items()}


def _value_input(row: dict[str, Any], ctx: FormContext) -> None:
    if row.get("op") in {"exists", "not_exists"}:
        row.pop("value", None)
        return
    field = fields.calm(ui.input(t("builder.form.value"), value=show_typed(row.get("value"))))
    field.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark("condition-value")

    def write(raw: str) -> None:
        row["value"] = parse_typed(raw, row.get("op", "eq"))
        ctx.changed()

    field.on_value_change(lambda e: write(e.value))


def property_filters(cfg: dict[str, Any], key: str, ctx: FormContext) -> None:
    """Rows of ``property op value`` on the event's properties."""
    rows: list[dict[str, Any]] = cfg.setdefault(key, [])

    @ui.refreshable
    def body() -> None:
        for index, row in enumerate(rows):
            with ui.row().classes("w-full no-wrap items-center gap-1"):
                prop = fields.calm(ui.input(t("builder.form.property"), value=row.get("property", "")))
                prop.classes("w-28").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                prop.on_value_change(lambda e, r=row: (r.update(property=e.value), ctx.changed()))
                op = ui.select(_ops(), value=row.get("op", "eq"), label=t("builder.form.operator"))
                op.classes("w-32").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                op.on_value_change(lambda e, r=row: (r.update(op=e.value), ctx.changed(), body.refresh()))
                _value_input(row, ctx)
                if not ctx.readonly:
                    ui.button(
                        icon="close", on_click=lambda i=index: (rows.pop(i), ctx.changed(), body.refresh())
                    ).props("flat dense round")
        if not ctx.readonly:
            ui.button(
                t("builder.form.add_filter"),
                icon="add",
                on_click=lambda: (rows.append({"property": "", "op": "eq", "value": ""}), body.refresh()),
            ).props("flat dense no-caps").mark("add-filter")

    ui.label(t("builder.form.filters")).classes("text-sm text-gray-600")
    body()


def _leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    draw = LEAVES.get(row.get("kind", "attribute"))
    if draw is None:
        ui.label(t("builder.form.advanced_condition")).classes("text-gray-500 italic")
    else:
        draw(row, ctx, refresh)


def _bound(element: Any, row: dict[str, Any], key: str, ctx: FormContext, width: str, then: Any = None) -> Any:
    """Style a leaf's input and write its value into ``row[key]`` on change (then call ``then``)."""
    element.classes(width).props("outlined dense" + (" readonly" if ctx.readonly else ""))
    element.on_value_change(lambda e: (row.update({key: e.value}), ctx.changed(), then and then()))
    return element


def _named(row: dict[str, Any], key: str, known: Any, label: str) -> Any:
    """A select of known names that also takes a new one (an event, attribute or segment not seen yet)."""
    values = sorted(set(known) | ({row[key]} if row.get(key) else set()))
    element = ui.select(values, value=row.get(key) or None, label=label, with_input=True, new_value_mode="add-unique")
    return element.props("use-input hide-selected fill-input")


def _field_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    key = "attribute" if row.get("kind", "attribute") == "attribute" else "property"
    options = ctx.choices.attributes if key == "attribute" else []
    _bound(_named(row, key, options, t(FIELD_LABELS[key])), row, key, ctx, "w-32").mark("condition-field")
    op = ui.select(_ops(), value=row.get("op", "eq"), label=t("builder.form.operator"))
    _bound(op, row, "op", ctx, "w-32", then=refresh)
    _value_input(row, ctx)


def _performed_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    _bound(_named(row, "event", ctx.choices.events, t("builder.form.event")), row, "event", ctx, "grow")
    ops = {"at_least": t("builder.op.at_least"), "at_most": t("builder.op.at_most")}
    _bound(ui.select(ops, value=row.get("op", "at_least")), row, "op", ctx, "w-28")
    count = fields.calm(ui.number(t("builder.form.times"), value=row.get("count", 1), min=0, precision=0))
    count.classes("w-20").props("outlined dense" + (" readonly" if ctx.readonly else ""))
    count.on_value_change(lambda e: (row.update(count=int(e.value or 0)), ctx.changed()))


def _segment_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    _bound(_named(row, "segment", ctx.choices.segments, t("builder.form.segment")), row, "segment", ctx, "grow")
    neg = ui.checkbox(t("builder.form.not_in_segment"), value=bool(row.get("negate")))
    neg.on_value_change(lambda e: (row.update(negate=bool(e.value)), ctx.changed()))


def _consent_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    channels = {c: t(key) for c, key in CHANNELS.items()}
    _bound(ui.select(channels, value=row.get("channel", "push")), row, "channel", ctx, "w-28")
    statuses = {s: t(key) for s, key in CONSENT_STATES.items()}
    _bound(ui.select(statuses, value=row.get("status", "subscribed")), row, "status", ctx, "grow")


def _platform_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    ops = {"eq": t("builder.op.eq"), "neq": t("builder.op.neq")}
    _bound(ui.select(ops, value=row.get("op", "eq")), row, "op", ctx, "w-28")
    platforms = {p: p for p in ("ios", "android", "web")}
    _bound(ui.select(platforms, value=row.get("value") or None), row, "value", ctx, "grow")


def _predicted_leaf(row: dict[str, Any], ctx: FormContext, refresh: Any) -> None:
    goal = fields.calm(ui.input(t("segments.field.goal"), value=row.get("goal", "")))
    _bound(goal, row, "goal", ctx, "w-36").mark("predicted-goal")
    tests = {name: t(key) for name, key in PREDICTED_KEYS.items()}
    chosen = ui.select(tests, value="band" if row.get("measure") == "band" else row.get("op", "gte"))
    chosen.classes("w-32").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark("predicted-test")

    def pick(test: str) -> None:
        row["measure"], row["op"] = predictions.TESTS[test]
        ctx.changed()

    chosen.on_value_change(lambda e: pick(e.value))
    _value_input(row, ctx)


LEAVES = {
    "attribute": _field_leaf,
    "event_property": _field_leaf,
    "performed": _performed_leaf,
    "segment": _segment_leaf,
    "consent": _consent_leaf,
    "platform": _platform_leaf,
    "predicted": _predicted_leaf,
}


def _new_leaf(kind: str) -> dict[str, Any]:
    return {
        "attribute": {"kind": "attribute", "attribute": "", "op": "eq", "value": ""},
        "event_property": {"kind": "event_property", "property": "", "op": "eq", "value": ""},
        "performed": {"kind": "performed", "event": "", "op": "at_least", "count": 1},
        "segment": {"kind": "segment", "segment": ""},
        "consent": {"kind": "consent", "channel": "push", "status": "subscribed"},
        "platform": {"kind": "platform", "op": "eq", "value": "ios"},
        "predicted": {"kind": "predicted", "goal": "order_completed", "measure": "band", "op": "eq", "value": "high"},
    }[kind]


def condition_group(group: dict[str, Any], ctx: FormContext) -> None:
    """A flat ``all``/``any`` group of conditions; nested groups are kept and shown as such."""
    group.setdefault("kind", "group")
    group.setdefault("match", "all")
    rows: list[dict[str, Any]] = group.setdefault("conditions", [])

    @ui.refreshable
    def body() -> None:
        match = ui.select(
            {"all": t("builder.form.match_all"), "any": t("builder.form.match_any")}, value=group["match"]
        )
        match.classes("w-full").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark("condition-match")
        match.on_value_change(lambda e: (group.update(match=e.value), ctx.changed()))
        for index, row in enumerate(rows):
            with ui.card().classes("w-full p-2 gap-1").props("flat bordered"):
                with ui.row().classes("w-full items-center no-wrap"):
                    kind = ui.select(
                        {k: t(key) for k, key in KINDS.items()}
                        | (
                            {row.get("kind"): t("builder.form.advanced_condition")}
                            if row.get("kind") not in KINDS
                            else {}
                        ),
                        value=row.get("kind"),
                    )
                    kind.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                    kind.mark("condition-kind")
                    kind.on_value_change(
                        lambda e, i=index: (
                            (rows.__setitem__(i, _new_leaf(e.value)), ctx.changed(), body.refresh())
                            if e.value in KINDS
                            else None
                        )
                    )
                    if not ctx.readonly:
                        ui.button(
                            icon="close", on_click=lambda i=index: (rows.pop(i), ctx.changed(), body.refresh())
                        ).props("flat dense round")
                with ui.row().classes("w-full no-wrap items-center gap-1"):
                    _leaf(row, ctx, body.refresh)
        if not ctx.readonly:
            ui.button(
                t("builder.form.add_condition"),
                icon="add",
                on_click=lambda: (rows.append(_new_leaf("attribute")), ctx.changed(), body.refresh()),
            ).props("flat dense no-caps").mark("add-condition")

    body()
