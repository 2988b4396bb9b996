"""The journey's own settings, shown in the side panel when no step is selected."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.node_forms import fields
from components.node_forms.context import FormContext
from components.text import t


def journey_form(settings: dict[str, Any], goal: dict[str, Any], ctx: FormContext) -> None:
    """Edits ``settings`` (JourneySettings as a dict) and ``goal`` (empty dict: no goal) in place."""
    zone = fields.pick(
        settings, "default_time_zone", t("builder.settings.time_zone"), ctx.choices.time_zones, ctx, optional=True
    )
    zone.props("clearable")
    zone.props["hint"] = t("builder.settings.time_zone_inherit")  # empty: the workspace's default applies
    reentry: dict[str, Any] = settings.setdefault("reentry", {"mode": "never"})
    mode = fields.choose(
        reentry,
        "mode",
        t("builder.settings.reentry"),
        {
            "never": t("builder.settings.reentry.never"),
            "after_exit": t("builder.settings.reentry.after_exit"),
            "limit": t("builder.settings.reentry.limit"),
        },
        ctx,
        default="never",
    )
    limit = fields.number(reentry, "max_entries", t("builder.settings.max_entries"), ctx, minimum=1)
    limit.bind_visibility_from(mode, "value", backward=lambda value: value == "limit")
    fields.choose(
        settings,
        "when_paused",
        t("builder.settings.when_paused"),
        {"hold": t("builder.settings.when_paused.hold"), "refuse": t("builder.settings.when_paused.refuse")},
        ctx,
        default="hold",
    )
    holdout = fields.number(settings, "holdout_percent", t("roi.builder.holdout"), ctx, minimum=0, maximum=50)
    holdout.props["hint"] = t("roi.builder.holdout.hint")
    current = list(settings.get("exit_events", []))
    exits = ui.select(
        sorted(set(ctx.choices.events) | set(current)),
        value=current,
        multiple=True,
        with_input=True,
        new_value_mode="add-unique",
        label=t("builder.settings.exit_events"),
    )
    exits.classes("w-full").props("outlined dense use-chips" + (" readonly" if ctx.readonly else ""))
    exits.mark("field-exit_events")
    exits.on_value_change(lambda e: (settings.update(exit_events=list(e.value or [])), ctx.changed()))
    ui.separator()
    ui.label(t("builder.settings.goal_title")).classes("font-semibold")
    ui.label(t("builder.settings.goal_help")).classes("text-xs text-gray-500")
    fields.pick(goal, "event", t("builder.settings.goal_event"), ctx.choices.events, ctx, optional=True)
    fields.duration(goal, "window", t("builder.settings.goal_window"), ctx, default_unit="days")
    fields.toggle(goal, "exit_on_goal", t("builder.settings.exit_on_goal"), ctx)
