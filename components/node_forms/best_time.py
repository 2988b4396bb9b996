"""The side panel's best-time preview: when the workspace's contacts would get the message, and on what data."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from components.best_time_chart import best_time_figure
from components.node_forms.context import FormContext
from components.text import t
from journeys.send_time import settings_of


def best_time_preview(cfg: dict[str, Any], ctx: FormContext) -> ui.refreshable:
    """Redrawn after each edit of the form; nothing while the node does not send at the best time."""

    @ui.refreshable
    def body() -> None:
        settings = settings_of(cfg)
        preview = ctx.choices.best_time_preview(*settings) if settings else None
        if preview is None:
            return
        hours, _fallback = settings
        ui.label(t("besttime.preview.title", hours=hours)).classes("font-medium")
        labels = [t("besttime.preview.hour", hours=h) for h in range(len(preview.per_hour))]
        figure = best_time_figure(labels, preview.per_hour, t("besttime.preview.axis"))
        ui.plotly(figure).classes("w-full").mark("best-time-chart")
        words = t("besttime.preview.data", enough=preview.enough, little=preview.little, none=preview.none)
        ui.label(words).classes("text-xs text-gray-600").mark("best-time-data")

    body()
    return body
