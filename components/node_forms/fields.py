"""Small form widgets bound to a key of a config dict: each edit writes the dict and calls ``changed``."""

from __future__ import annotations

from typing import Any, TypeVar

from nicegui import ui
from nicegui.elements.mixins.validation_element import ValidationElement

from components.node_forms.context import FormContext
from components.text import t

UNITS = {
    "minutes": "builder.unit.minutes",
    "hours": "builder.unit.hours",
    "days": "builder.unit.days",
    "weeks": "builder.unit.weeks",
}
# Typed text reaches the server when typing pauses this long, or at once when the field loses focus (Quasar's
# debounce flushes on blur), so a word typed is one save, not one per keystroke.
DEBOUNCE_MS = 600

Typed = TypeVar("Typed", ui.input, ui.textarea, ui.number)


def calm(field: Typed) -> Typed:
    """Send this field's value when typing pauses or on leaving it, never on every keystroke."""
    field.props["debounce"] = DEBOUNCE_MS
    return field


def _testid(element: ui.element, key: str) -> ui.element:
    if isinstance(element, ValidationElement):
        element.without_auto_validation()  # the step's problems set the error, not NiceGUI's own validation
    return element.mark(f"field-{key}").props(f"data-testid=field-{key}")


def _set(cfg: dict[str, Any], key: str, value: Any, ctx: FormContext, *, optional: bool) -> None:
    if optional and value in ("", None):
        cfg.pop(key, None)
    else:
        cfg[key] = value
    ctx.changed()


def text(
    cfg: dict[str, Any],
    key: str,
    label: str,
    ctx: FormContext,
    *,
    optional: bool = False,
    multiline: bool = False,
    hint: str = "",
) -> ui.input | ui.textarea:
    factory = ui.textarea if multiline else ui.input
    field = calm(factory(label, value=str(cfg.get(key) or "")))
    field.classes("w-full").props(
        "outlined dense" + (" readonly" if ctx.readonly else "") + (" autogrow" if multiline else "")
    )
    if hint:
        field._props["hint"] = hint
    field.on_value_change(lambda e: _set(cfg, key, e.value, ctx, optional=optional))
    _testid(field, key)
    return field


def pick(
    cfg: dict[str, Any], key: str, label: str, options: list[str], ctx: FormContext, *, optional: bool = False
) -> ui.select:
    """A choice among known values that also accepts a new one typed by the user."""
    current = cfg.get(key) or None
    values = sorted(set(options) | ({current} if current else set()))
    field = ui.select(values, label=label, value=current, with_input=True, new_value_mode="add-unique")
    field.classes("w-full").props("outlined dense use-input hide-selected fill-input input-debounce=0")
    if ctx.readonly:
        field.props("readonly")
    field.on_value_change(lambda e: _set(cfg, key, e.value, ctx, optional=optional))
    _testid(field, key)
    return field


def choose(
    cfg: dict[str, Any], key: str, label: str, options: dict[Any, str], ctx: FormContext, *, default: Any = None
) -> ui.select:
    """A fixed choice; ``options`` maps stored values to the labels shown."""
    value = cfg.get(key, default)
    field = ui.select(options, label=label, value=value if value in options else default)
    field.classes("w-full").props("outlined dense" + (" readonly" if ctx.readonly else ""))
    field.on_value_change(lambda e: _set(cfg, key, e.value, ctx, optional=False))
    _testid(field, key)
    return field


def number(
    cfg: dict[str, Any], key: str, label: str, ctx: FormContext, *, minimum: int = 0, maximum: int | None = None
) -> ui.number:
    field = calm(ui.number(label, value=cfg.get(key), min=minimum, max=maximum, precision=0))
    field.classes("w-full").props("outlined dense" + (" readonly" if ctx.readonly else ""))
    field.on_value_change(lambda e: _set(cfg, key, None if e.value is None else int(e.value), ctx, optional=True))
    _testid(field, key)
    return field


def toggle(cfg: dict[str, Any], key: str, label: str, ctx: FormContext) -> ui.checkbox:
    field = ui.checkbox(label, value=bool(cfg.get(key, False)))
    if ctx.readonly:
        field.props("disable")
    field.on_value_change(lambda e: _set(cfg, key, bool(e.value), ctx, optional=False))
    _testid(field, key)
    return field


def duration(cfg: dict[str, Any], key: str, label: str, ctx: FormContext, *, default_unit: str = "hours") -> None:
    value = cfg.get(key) if isinstance(cfg.get(key), dict) else {}
    state = {"amount": value.get("amount", 1), "unit": value.get("unit", default_unit)}

    def write() -> None:
        # A cleared amount stays empty (a problem on the step), never a silent zero.
        amount = None if state["amount"] is None else int(state["amount"])
        cfg[key] = {"amount": amount, "unit": state["unit"]}
        ctx.changed()

    ui.label(label).classes("text-sm text-gray-600")
    with ui.row().classes("w-full no-wrap gap-2"):
        amount = calm(ui.number(t("builder.form.amount"), value=state["amount"], min=0, precision=0))
        amount.classes("w-24").props("outlined dense" + (" readonly" if ctx.readonly else ""))
        _testid(amount, f"{key}-amount")
        unit = ui.select({u: t(key) for u, key in UNITS.items()}, value=state["unit"], label=t("builder.form.unit"))
        unit.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else ""))
        _testid(unit, f"{key}-unit")
    amount.on_value_change(lambda e: (state.update(amount=e.value), write()))
    unit.on_value_change(lambda e: (state.update(unit=e.value), write()))
