"""The publish review's forecast: the draft's next 7 days on the real audience, computed off the event loop.

A Plotly chart of messages per channel per day, a table of skips and deferrals by reason, the expected entries
and conversions, and the assumptions in words (history replayed, sampling, where the conversion rate comes from).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import plotly.graph_objects as go
from nicegui import run, ui

from app.analytics.words import skip_reason
from app.authoring import forecast as service
from app.authoring.service import InvalidJourney
from app.core.context import AppContext
from app.i18n import t, tn
from app.pages.builder.reach_view import CHANNEL_KEYS
from components.funnel_panels import plotly_text

COLOURS = {"push": "#6366f1", "email": "#0ea5e9", "sms": "#f59e0b", "in_app": "#10b981"}
CONVERSION_KEYS = {
    "after_message": "forecast.conversion.after_message",
    "base_rate": "forecast.conversion.base_rate",
}
SOURCE_KEYS = {
    "event": "forecast.source.event",
    "segment": "forecast.source.segment",
    "api": "forecast.source.api",
    "schedule": "forecast.source.schedule",
    "date": "forecast.source.date",
    "none": "forecast.source.none",
}


def figure(report: service.Report, labels: list[str]) -> go.Figure:
    fig = go.Figure()
    entries = [round(v, 1) for v in report.forecast.entries]
    fig.add_scatter(x=labels, y=entries, name=plotly_text(t("forecast.chart.entries")), mode="lines+markers",
                    line={"color": "#64748b", "dash": "dot"})  # fmt: skip
    for channel, days in report.forecast.messages.items():
        name = plotly_text(t(CHANNEL_KEYS.get(channel, channel)))
        fig.add_bar(x=labels, y=[round(v, 1) for v in days], name=name, marker_color=COLOURS.get(channel))
    fig.update_layout(
        barmode="group",
        height=240,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        showlegend=True,
        legend={"orientation": "h", "y": -0.2},
        yaxis={"title": t("forecast.chart.per_day"), "rangemode": "tozero"},
    )
    return fig


def _number(value: float) -> str:
    return f"{round(value):,}"


def skip_rows(report: service.Report) -> list[dict[str, Any]]:
    rows = []
    for kind, counts in (("skipped", report.forecast.skips), ("deferred", report.forecast.deferred)):
        for (channel, reason), count in sorted(counts.items(), key=lambda kv: -kv[1]):
            if kind == "deferred":
                words = t("forecast.deferred.quiet_hours") if reason == "quiet_hours" else t("forecast.deferred")
            else:
                words = skip_reason(reason).words
            channel_name = t(CHANNEL_KEYS[channel]) if channel in CHANNEL_KEYS else channel
            rows.append({"id": f"{kind}-{channel}-{reason}", "channel": channel_name, "reason": words,
                         "count": _number(count)})  # fmt: skip
    return rows


def assumptions(report: service.Report) -> list[str]:
    lines = [t(SOURCE_KEYS.get(report.source, "forecast.source.none"), weeks=service.WEEKS)]
    if report.scaled:
        lines.append(t("forecast.sampled", sampled=_number(report.sampled), population=_number(report.population)))
    source = report.conversion.source
    if source in CONVERSION_KEYS:
        lines.append(t(CONVERSION_KEYS[source], rate=f"{report.conversion.rate * 100:.1f}"))
    lines.append(t("forecast.policy"))
    return lines


def show(report: service.Report, labels: list[str]) -> None:
    found = report.forecast
    if report.no_history:
        ui.label(t("forecast.no_history", weeks=service.WEEKS)).classes("text-sm text-warning").mark(
            "forecast-no-history"
        )
    entries = sum(found.entries)
    ui.label(tn("forecast.entries", round(entries), count=_number(entries))).classes("text-sm").mark(
        "forecast-entries"
    )
    if report.conversions is not None:
        ui.label(tn("forecast.conversions", round(report.conversions), count=_number(report.conversions))).classes(
            "text-sm"
        ).mark("forecast-conversions")
    elif report.conversion.source == "none":
        ui.label(t("forecast.conversion.none")).classes("text-sm text-gray-600").mark("forecast-conversions")
    if found.messages:
        for channel in found.messages:
            total = _number(found.total(channel))
            ui.label(t("forecast.channel_total", channel=t(CHANNEL_KEYS.get(channel, channel)), count=total)).classes(
                "text-sm"
            ).mark(f"forecast-{channel}")
        # Not responsive: the dialog's closing animation hides the chart, and a resize then is an error in Plotly.
        options = {**figure(report, labels).to_plotly_json(), "config": {"responsive": False, "displayModeBar": False}}
        ui.plotly(options).classes("w-full").mark("forecast-chart")
    rows = skip_rows(report)
    if rows:
        columns = [
            {"name": "channel", "label": t("forecast.column.channel"), "field": "channel", "align": "left"},
            {"name": "reason", "label": t("forecast.column.reason"), "field": "reason", "align": "left"},
            {"name": "count", "label": t("forecast.column.count"), "field": "count", "align": "right"},
        ]
        ui.table(columns=columns, rows=rows, row_key="id").props("dense flat wrap-cells").classes("w-full").mark(
            "forecast-skips"
        )
    with ui.column().classes("gap-0").mark("forecast-assumptions"):
        for line in assumptions(report):
            ui.label(line).classes("text-xs text-gray-600")


class ForecastBox:
    """Filled once the forecast is computed (in a worker thread: a large audience takes a second or two)."""

    def __init__(self, ctx: AppContext, journey_id: int) -> None:
        self.ctx, self.journey_id = ctx, journey_id
        with ui.column().classes("w-full gap-1").mark("review-forecast") as self.box:
            ui.label(t("forecast.title")).classes("font-medium")
            with ui.row().classes("items-center gap-2") as self.waiting:
                ui.spinner(size="sm")
                ui.label(t("forecast.computing")).classes("text-sm text-gray-600")
        ui.timer(0.05, self.load, once=True)

    async def load(self) -> None:
        labels = self.day_labels()
        try:
            report = await run.io_bound(service.forecast_journey, self.ctx, self.journey_id)
        except InvalidJourney as exc:
            count = len(exc.violations)
            self.fill(lambda: ui.label(tn("forecast.invalid", count)).classes("text-sm text-negative").mark(
                "forecast-invalid"))  # fmt: skip
            return
        self.fill(lambda: show(report, labels))

    def fill(self, draw: Any) -> None:
        if self.box.is_deleted:
            return  # the review was closed meanwhile
        self.waiting.delete()
        with self.box:
            draw()

    def day_labels(self) -> list[str]:
        today = self.ctx.clock.now()
        return [(today + timedelta(days=i)).strftime("%d/%m") for i in range(service.DAYS)]
