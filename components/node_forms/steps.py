"""Forms for entries, waits, flow control and actions."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.conditions import condition_group, property_filters
from components.node_forms.context import FormContext
from components.text import t
from journeys.condition_values import parse_typed, show_typed

WEEKDAYS = {
    "mon": "builder.weekday.mon",
    "tue": "builder.weekday.tue",
    "wed": "builder.weekday.wed",
    "thu": "builder.weekday.thu",
    "fri": "builder.weekday.fri",
    "sat": "builder.weekday.sat",
    "sun": "builder.weekday.sun",
}


def entry_event(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.pick(cfg, "event", t("builder.form.event"), ctx.choices.events, ctx)
    property_filters(cfg, "filters", ctx)


def entry_segment(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.pick(cfg, "segment", t("builder.form.segment"), ctx.choices.segments, ctx)


def entry_schedule(cfg: dict[str, Any], ctx: FormContext) -> None:
    cfg.setdefault("mode", "once")
    fields.choose(
        cfg,
        "mode",
        t("builder.form.schedule_mode"),
        {"once": t("builder.form.once"), "recurring": t("builder.form.recurring")},
        ctx,
    )
    fields.text(cfg, "at", t("builder.form.at"), ctx, optional=True, hint="2026-12-24T09:00")
    fields.text(cfg, "cron", t("builder.form.cron"), ctx, optional=True, hint="0 9 * * 1")
    fields.pick(cfg, "time_zone", t("builder.form.time_zone"), ctx.choices.time_zones, ctx)
    fields.pick(cfg, "segment", t("builder.form.segment_optional"), ctx.choices.segments, ctx, optional=True)


def entry_date(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.pick(cfg, "attribute", t("builder.form.date_attribute"), ctx.choices.attributes, ctx)
    fields.choose(
        cfg,
        "direction",
        t("builder.form.direction"),
        {
            "before": t("builder.direction.before"),
            "on": t("builder.direction.on"),
            "after": t("builder.direction.after"),
        },
        ctx,
        default="on",
    )
    fields.duration(cfg, "offset", t("builder.form.offset"), ctx, default_unit="days")
    fields.text(cfg, "time_of_day", t("builder.form.time_of_day"), ctx, optional=True, hint="09:00")
    fields.choose(
        cfg,
        "repeat",
        t("builder.form.repeat"),
        {"once": t("builder.form.once"), "yearly": t("builder.form.yearly")},
        ctx,
        default="once",
    )


def wait_duration(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.duration(cfg, "duration", t("builder.form.wait_for"), ctx)


def wait_until(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.choose(
        cfg,
        "mode",
        t("builder.form.wait_mode"),
        {"time_of_day": t("builder.form.time_of_day"), "date": t("builder.form.date")},
        ctx,
        default="time_of_day",
    )
    fields.text(cfg, "time", t("builder.form.time"), ctx, hint="09:00")
    fields.text(cfg, "date", t("builder.form.date"), ctx, optional=True, hint="2026-12-24")
    days = ui.select(
        {d: t(key) for d, key in WEEKDAYS.items()},
        value=list(cfg.get("weekdays", [])),
        multiple=True,
        label=t("builder.form.weekdays"),
    )
    days.classes("w-full").props("outlined dense use-chips" + (" readonly" if ctx.readonly else "")).mark(
        "field-weekdays"
    )
    days.on_value_change(lambda e: (cfg.update(weekdays=[d for d in WEEKDAYS if d in e.value]), ctx.changed()))


def wait_event(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.pick(cfg, "event", t("builder.form.wait_event"), ctx.choices.events, ctx)
    fields.duration(cfg, "timeout", t("builder.form.timeout"), ctx, default_unit="days")
    property_filters(cfg, "filters", ctx)


def branch(cfg: dict[str, Any], ctx: FormContext) -> None:
    ui.label(t("builder.form.branch_help")).classes("text-sm text-gray-600")
    condition_group(cfg.setdefault("condition", {"kind": "group", "match": "all", "conditions": []}), ctx)


def branch_multi(cfg: dict[str, Any], ctx: FormContext) -> None:
    cases: list[dict[str, Any]] = cfg.setdefault("cases", [])

    @ui.refreshable
    def body() -> None:
        for index, case in enumerate(cases):
            with ui.card().classes("w-full p-2 gap-1").props("flat bordered"):
                with ui.row().classes("w-full no-wrap items-center"):
                    label = fields.calm(ui.input(t("builder.form.case_label"), value=case.get("label", "")))
                    label.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                    label.on_value_change(lambda e, c=case: (c.update(label=e.value), ctx.changed()))
                    if not ctx.readonly:
                        ui.button(
                            icon="close", on_click=lambda i=index: (cases.pop(i), ctx.changed(), body.refresh())
                        ).props("flat dense round")
                condition_group(case.setdefault("condition", {"kind": "group", "match": "all", "conditions": []}), ctx)
        if not ctx.readonly:
            ui.button(t("builder.form.add_case"), icon="add", on_click=add).props("flat dense no-caps").mark("add-case")

    def add() -> None:
        taken = {c.get("port") for c in cases}
        number = next(n for n in range(1, 1000) if f"case_{n}" not in taken)
        cases.append({"port": f"case_{number}", "label": "", "condition": {"kind": "group", "conditions": []}})
        ctx.changed()
        body.refresh()

    ui.label(t("builder.form.cases_help")).classes("text-sm text-gray-600")
    body()


def split(cfg: dict[str, Any], ctx: FormContext) -> None:
    variants: list[dict[str, Any]] = cfg.setdefault("variants", [])

    def left() -> int:
        return 100 - sum(int(v.get("weight") or 0) for v in variants)

    def remainder_text() -> str:
        return t("builder.form.weights_ok") if left() == 0 else t("builder.form.weights_left", left=left())

    def remainder_classes() -> str:
        return "text-sm " + ("text-green-700" if left() == 0 else "text-red-700")

    @ui.refreshable
    def body() -> None:
        for index, variant in enumerate(variants):
            with ui.row().classes("w-full no-wrap items-center gap-1").mark(f"variant-{index}"):
                name = fields.calm(
                    ui.input(t("builder.form.variant_name"), value=variant.get("name") or variant.get("port", ""))
                )
                name.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                name.on_value_change(lambda e, v=variant: (v.update(name=e.value), ctx.changed()))
                weight = fields.calm(ui.number("%", value=variant.get("weight", 0), min=0, max=100, precision=0))
                weight.classes("w-20").props("outlined dense" + (" readonly" if ctx.readonly else ""))
                weight.mark(f"weight-{index}")
                weight.on_value_change(lambda e, v=variant: (v.update(weight=int(e.value or 0)), changed()))
                control = ui.checkbox(t("builder.form.control"), value=bool(variant.get("control")))
                control.on_value_change(lambda e, v=variant: (v.update(control=bool(e.value)), ctx.changed()))
                if not ctx.readonly and len(variants) > 2:
                    ui.button(
                        icon="close", on_click=lambda i=index: (variants.pop(i), changed(), body.refresh())
                    ).props("flat dense round")
        if not ctx.readonly:
            ui.button(t("builder.form.add_variant"), icon="add", on_click=add).props("flat dense no-caps").mark(
                "add-variant"
            )

    def add() -> None:
        taken = {v.get("port") for v in variants}
        port = next(p for p in "ABCDEFGHIJKLMNOPQRSTUVWXYZ" if p not in taken)
        variants.append({"port": port, "weight": 0})
        changed()
        body.refresh()

    def changed() -> None:
        ctx.changed()
        remainder.text = remainder_text()
        remainder.classes(replace=remainder_classes())

    ui.label(t("builder.form.split_help")).classes("text-sm text-gray-600")
    body()
    remainder = ui.label(remainder_text()).mark("weights-remainder")
    remainder.classes(remainder_classes())


def update_attribute(cfg: dict[str, Any], ctx: FormContext) -> None:
    updates: list[dict[str, Any]] = cfg.setdefault("updates", [])

    @ui.refreshable
    def body() -> None:
        for index, row in enumerate(updates):
            with ui.row().classes("w-full no-wrap items-center gap-1"):
                attr = ui.select(
                    sorted(set(ctx.choices.attributes) | ({row["attribute"]} if row.get("attribute") else set())),
                    value=row.get("attribute") or None,
                    label=t("builder.form.attribute"),
                    with_input=True,
                    new_value_mode="add-unique",
                )
                attr.classes("w-32").props("outlined dense use-input hide-selected fill-input")
                attr.on_value_change(lambda e, r=row: (r.update(attribute=e.value), ctx.changed()))
                op = ui.select(
                    {
                        "set": t("builder.update.set"),
                        "increment": t("builder.update.increment"),
                        "unset": t("builder.update.unset"),
                    },
                    value=row.get("op", "set"),
                )
                op.classes("w-28").props("outlined dense")
                op.on_value_change(lambda e, r=row: (r.update(op=e.value), ctx.changed(), body.refresh()))
                if row.get("op", "set") != "unset":
                    value = fields.calm(ui.input(t("builder.form.value"), value=show_typed(row.get("value"))))
                    value.classes("grow").props("outlined dense")
                    value.on_value_change(lambda e, r=row: (r.update(value=parse_typed(e.value, "eq")), ctx.changed()))
                if not ctx.readonly and len(updates) > 1:
                    ui.button(
                        icon="close", on_click=lambda i=index: (updates.pop(i), ctx.changed(), body.refresh())
                    ).props("flat dense round")
        if not ctx.readonly:
            ui.button(
                t("builder.form.add_update"),
                icon="add",
                on_click=lambda: (updates.append({"attribute": "", "op": "set", "value": ""}), body.refresh()),
            ).props("flat dense no-caps")

    body()


def webhook(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.text(cfg, "url", t("builder.form.url"), ctx, hint="https://")
    fields.choose(
        cfg, "method", t("builder.form.method"), {m: m for m in ("POST", "PUT", "PATCH")}, ctx, default="POST"
    )
    fields.text(cfg, "body", t("builder.form.webhook_body"), ctx, optional=True, multiline=True)
    ui.label(t("builder.form.webhook_secrets")).classes("text-xs text-gray-500")


def goal(cfg: dict[str, Any], ctx: FormContext) -> None:
    fields.text(cfg, "goal", t("builder.form.goal"), ctx)


def nothing(_cfg: dict[str, Any], _ctx: FormContext) -> None:
    ui.label(t("builder.form.nothing_to_configure")).classes("text-sm text-gray-600")
