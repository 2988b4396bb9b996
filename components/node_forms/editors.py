"""The richer editors a node type's form can ask for: the cases of a multi-way branch, split variants, and
attribute updates (the widgets for plain settings are in ``fields``, conditions in ``conditions``)."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.conditions import condition_group
from components.node_forms.context import FormContext
from components.text import t
from journeys.condition_values import parse_typed, show_typed


def cases(cfg: dict[str, Any], key: str, ctx: FormContext) -> None:
    cases: list[dict[str, Any]] = cfg.setdefault(key, [])

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

    body()


def variants(cfg: dict[str, Any], key: str, ctx: FormContext) -> None:
    variants: list[dict[str, Any]] = cfg.setdefault(key, [])

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

    body()
    remainder = ui.label(remainder_text()).mark("weights-remainder")
    remainder.classes(remainder_classes())


def updates(cfg: dict[str, Any], key: str, ctx: FormContext) -> None:
    updates: list[dict[str, Any]] = cfg.setdefault(key, [])

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
