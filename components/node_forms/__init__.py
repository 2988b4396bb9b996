"""Side-panel forms for each node type: plain-language labels and pickers, never raw JSON.

A node type describes its form as data (``NodeSpec.form``, a tuple of :class:`~journeys.nodes.form.FormField`);
``render_form(node_type, config, ctx)`` draws it from the node registry, with the node type's own texts, edits
``config`` (a dict) in place and calls ``ctx.changed()`` after each edit; the page saves the draft.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from nicegui import ui

from components.node_forms import editors, fields, reply
from components.node_forms.best_time import best_time_preview
from components.node_forms.conditions import condition_group, property_filters
from components.node_forms.context import Choices, FormContext
from components.node_forms.messages import liquid_field, message_preview
from components.text import t
from journeys.nodes import REGISTRY, text_key
from journeys.nodes.form import FormField

Label = Callable[[str], str]  # a node-local text key -> its text in the current language
Widget = Callable[[dict[str, Any], FormField, Label, FormContext], None]


def _options(field: FormField, label: Label) -> dict[Any, str]:
    return {value: label(key) if key else value for value, key in field.options}


def _many(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    """Several of fixed options, stored in the order the options are declared."""
    order = [value for value, _key in field.options]
    chosen = ui.select(
        _options(field, label), value=list(cfg.get(field.key, [])), multiple=True, label=label(field.label)
    )
    chosen.classes("w-full").props("outlined dense use-chips" + (" readonly" if ctx.readonly else ""))
    chosen.mark(f"field-{field.key}")
    chosen.on_value_change(lambda e: (cfg.update({field.key: [v for v in order if v in e.value]}), ctx.changed()))


def _note(_cfg: dict[str, Any], field: FormField, label: Label, _ctx: FormContext) -> None:
    ui.label(label(field.label)).classes("text-xs text-gray-500" if field.small else "text-sm text-gray-600")


def _text(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    fields.text(
        cfg, field.key, label(field.label), ctx, optional=field.optional, multiline=field.multiline, hint=field.hint
    )


def _pick(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    known: list[str] = getattr(ctx.choices, field.source) if field.source else []
    fields.pick(cfg, field.key, label(field.label), known, ctx, optional=field.optional)


def _choose(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    fields.choose(cfg, field.key, label(field.label), _options(field, label), ctx, default=field.default)


def _duration(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    fields.duration(cfg, field.key, label(field.label), ctx, default_unit=field.unit)


def _number(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    fields.number(cfg, field.key, label(field.label), ctx, minimum=field.minimum, maximum=field.maximum)


def _toggle(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    fields.toggle(cfg, field.key, label(field.label), ctx)


def _liquid(cfg: dict[str, Any], field: FormField, label: Label, ctx: FormContext) -> None:
    liquid_field(cfg, field.key, label(field.label), ctx, multiline=field.multiline, optional=field.optional)


def _condition(cfg: dict[str, Any], field: FormField, _label: Label, ctx: FormContext) -> None:
    condition_group(cfg.setdefault(field.key, {"kind": "group", "match": "all", "conditions": []}), ctx)


WIDGETS: dict[str, Widget] = {
    "text": _text,
    "pick": _pick,
    "choose": _choose,
    "many": _many,
    "duration": _duration,
    "number": _number,
    "toggle": _toggle,
    "liquid": _liquid,
    "note": _note,
    "filters": lambda cfg, field, _label, ctx: property_filters(cfg, field.key, ctx),
    "condition": _condition,
    "cases": lambda cfg, field, _label, ctx: editors.cases(cfg, field.key, ctx),
    "variants": lambda cfg, field, _label, ctx: editors.variants(cfg, field.key, ctx),
    "updates": lambda cfg, field, _label, ctx: editors.updates(cfg, field.key, ctx),
    "replies": lambda cfg, field, _label, ctx: reply.rules(cfg, field.key, ctx),
}


def render_form(node_type: str, config: dict[str, Any], ctx: FormContext) -> None:
    spec = REGISTRY.get(node_type)
    form = spec.form if spec is not None else ()
    if not form:
        ui.label(t("builder.form.nothing_to_configure")).classes("text-sm text-gray-600")
        return

    def label(local: str) -> str:
        return t(text_key(node_type, local))

    previews: list[ui.refreshable] = []  # redrawn after each edit, so they show what was just typed

    def changed() -> None:
        ctx.changed()
        for preview in previews:
            preview.refresh()

    local = FormContext(choices=ctx.choices, changed=changed, readonly=ctx.readonly)
    for field in form:
        if field.kind == "preview":
            previews.append(message_preview(node_type, config, local, lambda name: label(f"field.{name}")))
        elif field.kind == "best_time":
            previews.append(best_time_preview(config, local))
        else:
            WIDGETS[field.kind](config, field, label, local)


__all__ = ["WIDGETS", "Choices", "FormContext", "render_form"]
