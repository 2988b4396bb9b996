"""The rule editor of a wait-for-reply step (form kind ``replies``): one card per expected answer, its output
name and what matches it (keywords, a number, a pattern or an FAQ intent). The step's other settings (channel,
hand-over, timeout) are plain form fields of its node type."""

from __future__ import annotations

import re
from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.context import FormContext
from components.text import t

KIND_KEYS = {
    "keyword": "conv.form.kind.keyword",
    "number": "conv.form.kind.number",
    "regex": "conv.form.kind.regex",
    "intent": "conv.form.kind.intent",
}
BOUND_KEYS = {"min": "conv.form.min", "max": "conv.form.max"}
AUTO_PORT = "answer_"  # the name a new answer gets until the marketer names it
RESERVED = {"no_match", "timeout"}


def _keywords(rule: dict[str, Any], ctx: FormContext, index: int) -> None:
    words = fields.calm(ui.input(t("conv.form.keywords"), value=", ".join(rule.get("keywords") or [])))
    words.mark(f"reply-keywords-{index}")
    words.classes("w-full").props("outlined dense" + (" readonly" if ctx.readonly else ""))
    words.props["hint"] = t("conv.form.keywords_hint")
    words.on_value_change(
        lambda e: (rule.update(keywords=[w.strip() for w in str(e.value or "").split(",") if w.strip()]), ctx.changed())
    )


def _numbers(rule: dict[str, Any], ctx: FormContext) -> None:
    with ui.row().classes("w-full no-wrap gap-2"):
        for key, text_key in BOUND_KEYS.items():
            box = fields.calm(ui.number(t(text_key), value=rule.get(key)))
            box.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else ""))
            box.on_value_change(lambda e, k=key: (rule.update({k: e.value}), ctx.changed()))


def port_for_intent(intent: str) -> str:
    """An output name from an intent's name: ``Opening hours`` -> ``opening_hours``."""
    return re.sub(r"[^a-z0-9_-]+", "_", intent.strip().lower()).strip("_")[:40]


def _intent(rule: dict[str, Any], ctx: FormContext, index: int) -> None:
    """The intent's name; an answer still carrying its automatic name takes the intent's as output name."""
    box = fields.calm(ui.input(t("conv.form.intent"), value=rule.get("intent", "")))
    box.classes("w-full").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark(f"reply-intent-{index}")
    box.props["hint"] = t("conv.form.intent_hint")

    def typed(value: str) -> None:
        rule["intent"] = value.strip()
        named = port_for_intent(value)
        if named and named not in RESERVED and str(rule.get("port", "")).startswith(AUTO_PORT):
            rule["port"] = named
        ctx.changed()

    box.on_value_change(lambda e: typed(str(e.value or "")))


def _matcher(rule: dict[str, Any], ctx: FormContext, index: int) -> None:
    kind = rule.get("kind", "keyword")
    if kind == "keyword":
        _keywords(rule, ctx, index)
    elif kind == "number":
        _numbers(rule, ctx)
    elif kind == "regex":
        fields.text(rule, "pattern", t("conv.form.pattern"), ctx, hint=t("conv.form.pattern_hint"))
    else:
        _intent(rule, ctx, index)


def _rule_card(rules: list[dict[str, Any]], index: int, ctx: FormContext, refresh: Any) -> None:
    rule = rules[index]
    with ui.card().classes("w-full p-2 gap-1").props("flat bordered").mark(f"reply-rule-{index}"):
        with ui.row().classes("w-full no-wrap items-center gap-1"):
            port = fields.calm(ui.input(t("conv.form.port"), value=rule.get("port", "")))
            port.classes("grow").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark(
                f"reply-port-{index}"
            )
            port.on_value_change(lambda e: (rule.update(port=str(e.value or "").strip()), ctx.changed()))
            kinds = {k: t(text_key) for k, text_key in KIND_KEYS.items()}
            kind = ui.select(kinds, value=rule.get("kind", "keyword"), label=t("conv.form.kind"))
            kind.classes("w-40").props("outlined dense" + (" readonly" if ctx.readonly else "")).mark(
                f"reply-kind-{index}"
            )
            kind.on_value_change(lambda e: (rule.update(kind=e.value), ctx.changed(), refresh()))
            if not ctx.readonly:
                ui.button(icon="close", on_click=lambda: (rules.pop(index), ctx.changed(), refresh())).props(
                    "flat dense round"
                )
        _matcher(rule, ctx, index)


def rules(cfg: dict[str, Any], key: str, ctx: FormContext) -> None:
    """The expected answers of ``cfg[key]``, each editable and removable, and a button to add one."""
    rules: list[dict[str, Any]] = cfg.setdefault(key, [])

    @ui.refreshable
    def body() -> None:
        for index in range(len(rules)):
            _rule_card(rules, index, ctx, body.refresh)
        if not ctx.readonly:
            ui.button(t("conv.form.add_rule"), icon="add", on_click=add).props("flat dense no-caps").mark(
                "add-reply-rule"
            )

    def add() -> None:
        taken = {r.get("port") for r in rules}
        number = next(n for n in range(1, 1000) if f"{AUTO_PORT}{n}" not in taken)
        rules.append({"port": f"{AUTO_PORT}{number}", "kind": "keyword", "keywords": []})
        ctx.changed()
        body.refresh()

    body()
