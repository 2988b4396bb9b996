"""/dashboard: every live journey at a glance, over a chosen date range, refreshed live from the counters."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

from nicegui import ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import ADMIN, VIEWER, requires
from app.analytics import funnels
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.engine import quarantine
from app.i18n import t, tn
from app.pages.analytics.roi_view import ProgrammeRevenue
from app.pages.analytics.view import panel_labels
from app.pages.demo_badge import DemoNotice
from components.funnel_panels import NONE, Panel, funnel_figure, percent, sparkline_figure

FUNNEL = ("enrolled", "messaged", "delivered", "opened", "clicked", "converted")
DAY = 86_400


def _epoch(day: date) -> int:
    return int(datetime(day.year, day.month, day.day, tzinfo=UTC).timestamp())


class Dashboard:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        today = ctx.clock.now().astimezone(UTC).date()
        self.start, self.end = today - timedelta(days=29), today
        self.sparks: dict[int, Any] = {}
        self.spark_data: dict[int, list[int]] = {}

    def render(self) -> None:
        with ui.row().classes("items-end gap-4").mark("date-range"):
            self.from_input = ui.input(t("funnels.from"), value=self.start.isoformat()).props("type=date dense")
            self.from_input.mark("date-from")
            self.to_input = ui.input(t("funnels.to"), value=self.end.isoformat()).props("type=date dense")
            self.to_input.mark("date-to")
            self.from_input.on_value_change(lambda _e: self.change_range())
            self.to_input.on_value_change(lambda _e: self.change_range())
            self.range_error = ui.label("").classes("text-negative text-sm").mark("range-error")
            ui.label(t("funnels.live_note")).classes("text-xs text-gray-500")
        DemoNotice().render()
        self._quarantine_notice()
        self.revenue = ProgrammeRevenue(self.ctx)
        self.revenue.render()
        self.funnel = Panel(t("funnels.panel.funnel"), "dashboard-funnel", panel_labels("analytics.no_data.funnel"))
        self.table = Panel(t("funnels.panel.journeys"), "journeys", panel_labels("funnels.empty"), chart=False)
        self.spark_row = ui.row().classes("w-full gap-3").mark("sparklines")
        self.refresh()
        ui.timer(1.0, self.refresh)

    def _quarantine_notice(self) -> None:
        """How many rows the engine parked; everyone sees the count, admins get the way to review them."""
        with ui.row().classes("items-center gap-2") as self.quarantine_row:
            self.quarantine_count = ui.label("").classes("text-warning font-medium").mark("quarantine-count")
            principal = access.current_principal()
            if principal is not None and principal.role == ADMIN:
                ui.link(t("quarantine.review"), "/admin/quarantine").mark("quarantine-review")

    @guarded(VIEWER)
    def change_range(self) -> None:
        use_language()
        try:
            start, end = date.fromisoformat(self.from_input.value), date.fromisoformat(self.to_input.value)
        except (TypeError, ValueError):
            return
        if start > end:
            self.range_error.set_text(t("funnels.range_invalid"))
            return
        self.range_error.set_text("")
        self.start, self.end = start, end
        self.refresh()

    def refresh(self) -> None:
        use_language()
        rows = funnels.dashboard(self.ctx, start=_epoch(self.start), end=_epoch(self.end) + DAY)
        self.revenue.refresh(_epoch(self.start), _epoch(self.end) + DAY)
        parked = quarantine.count(self.ctx)
        self.quarantine_count.set_text(tn("quarantine.count", parked))
        self.quarantine_row.set_visibility(parked > 0)
        self._funnel(rows)
        self._table(rows)
        self._sparks(rows)

    def _funnel(self, rows: list[funnels.DashboardRow]) -> None:
        totals = {m: sum(r.totals.get(m, 0) for r in rows) for m in FUNNEL}
        names = [t(f"funnels.metric.{m}") for m in FUNNEL]
        first = totals["enrolled"]
        table = [
            [n, totals[m], percent(totals[m] / first if first else None)] for n, m in zip(names, FUNNEL, strict=True)
        ]
        alt = t("funnels.alt.funnel", steps=", ".join(f"{n} {c}" for n, c, _ in table))
        headers = [t("funnels.col.step"), t("funnels.col.count"), t("funnels.col.share")]
        figure = funnel_figure(names, [totals[m] for m in FUNNEL], t("funnels.col.count"))
        self.funnel.update(headers, table, figure, alt, empty=first == 0)

    def _table(self, rows: list[funnels.DashboardRow]) -> None:
        headers = [
            t(k)
            for k in (
                "funnels.col.journey",
                "funnels.metric.enrolled",
                "funnels.metric.in_progress",
                "funnels.metric.converted",
                "funnels.col.conversion_rate",
                "funnels.col.sent_today",
                "funnels.metric.failed",
            )
        ]
        table = [
            [r.name, r.enrolled, r.in_progress, r.converted if r.has_goal else NONE, percent(r.conversion_rate)]
            + [r.sent_today, r.failed]
            for r in rows
        ]
        self.table.update(headers, table, None, "")

    def _sparks(self, rows: list[funnels.DashboardRow]) -> None:
        for row in rows:
            if row.journey_id not in self.sparks:
                with self.spark_row, ui.card().props("flat bordered").classes("p-2").mark(f"spark-{row.journey_id}"):
                    ui.link(row.name, f"/journeys/{row.journey_id}/analytics").classes("text-sm font-medium")
                    spark = ui.plotly(sparkline_figure(row.spark)).classes("w-36 h-9")
                    # The journey name is data: set as a prop value, never formatted into a props string.
                    spark.props.update({"role": "img", "aria-label": t("funnels.alt.spark", name=row.name)})
                    self.sparks[row.journey_id] = spark
                self.spark_data[row.journey_id] = row.spark
            elif self.spark_data.get(row.journey_id) != row.spark:
                self.spark_data[row.journey_id] = row.spark
                self.sparks[row.journey_id].update_figure(sparkline_figure(row.spark))


def dashboard_page() -> None:
    with frame("funnels.dashboard_title"):
        Dashboard(current()).render()


def register() -> None:
    ui.page("/dashboard")(requires(VIEWER)(dashboard_page))
