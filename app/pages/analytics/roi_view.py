"""The revenue and ROI part of a journey's analytics page: revenue attributed, per variant and per message,
revenue per recipient, and (with a holdout) treated against held out with the uplift in words.

Refreshed with the page's timer, every few ticks (its reads touch the journey's rows, not counters), and at
once when the period changes.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.analytics import roi
from app.analytics.roi_words import money, rate_sentence, revenue_sentence, unconverted
from app.core.context import AppContext
from app.i18n import t
from components.funnel_panels import NONE, Panel, bars_figure, percent
from components.roi_panels import groups_figure

EVERY = 5  # refresh every fifth tick of the page's one-second timer


def panel_labels(empty: str = "analytics.no_data") -> dict[str, str]:
    return {"chart": t("funnels.chart"), "table": t("funnels.table"), "csv": t("funnels.csv"), "empty": t(empty)}


class RoiSection:
    def __init__(self, ctx: AppContext, journey_id: int) -> None:
        self.ctx, self.journey_id = ctx, journey_id
        self.kpis: dict[str, Any] = {}
        self.ticks = 0
        self.bounds: tuple[int | None, int | None] | None = None

    def render(self) -> None:
        ui.label(t("roi.title")).classes("text-lg font-semibold")
        with ui.row().classes("w-full gap-3 items-center").mark("roi-kpis"):
            for key in ("revenue", "per_recipient", "recipients"):
                with ui.card().props("flat bordered").classes("px-3 py-2 min-w-28"):
                    ui.label(t(f"roi.kpi.{key}")).classes("text-xs text-gray-500")
                    self.kpis[key] = ui.label(NONE).classes("text-xl font-semibold").mark(f"roi-{key}")
            self.unconverted = ui.label("").classes("text-sm text-warning").mark("roi-unconverted")
        with ui.column().classes("w-full").mark("revenue-variants-box") as self.variant_box:  # A/B splits only
            self.variants = Panel(t("roi.panel.variants"), "revenue-variants", panel_labels("roi.no_revenue"))
        self.messages = Panel(t("roi.panel.messages"), "revenue-messages", panel_labels("roi.no_revenue"))
        with ui.column().classes("w-full gap-1").mark("roi-holdout") as self.holdout_box:
            self.revenue_words = ui.label("").classes("text-base font-medium").mark("roi-uplift")
            self.rate_words = ui.label("").classes("text-sm").mark("roi-rate")
            self.groups = Panel(t("roi.panel.holdout"), "holdout", panel_labels())
        self.no_holdout = ui.label(t("roi.no_holdout")).classes("text-xs text-gray-500").mark("roi-no-holdout")

    def refresh(self, start: int | None, end: int | None) -> None:
        """Re-read on a period change and every EVERY-th call; otherwise leave the numbers as they are."""
        self.ticks += 1
        if (start, end) == self.bounds and self.ticks % EVERY:
            return
        self.bounds = (start, end)
        data = roi.journey_roi(self.ctx, self.journey_id, start=start, end=end)
        currency = data.currency
        shown = data.has_goal and (data.revenue.conversions > 0 or bool(data.revenue.unconverted))
        self.kpis["revenue"].set_text(money(data.revenue.amount, currency) if shown else NONE)
        self.kpis["per_recipient"].set_text(money(data.per_recipient, currency, cents=True) if shown else NONE)
        self.kpis["recipients"].set_text(str(data.recipients))
        other = unconverted(data.revenue.unconverted)
        self.unconverted.set_text(t("roi.unconverted", amounts=other) if other else "")
        self.variant_box.set_visibility(bool(data.variants))
        self._rows(self.variants, data.variants, currency, "roi.col.variant")
        self._rows(self.messages, data.messages, currency, "roi.col.message")
        self._holdout(data)

    def _rows(self, panel: Panel, rows: list[roi.RevenueRow], currency: str, first: str) -> None:
        headers = [t(first), t("roi.col.recipients"), t("roi.col.conversions"), t("roi.col.revenue")]
        headers += [t("roi.col.per_recipient"), t("roi.col.unconverted")]
        table = [
            [r.label, r.recipients, r.revenue.conversions, money(r.revenue.amount, currency)]
            + [money(r.per_recipient, currency, cents=True), unconverted(r.revenue.unconverted)]
            for r in rows
        ]
        figure = bars_figure([r.label for r in rows], {t("roi.col.revenue"): [r.revenue.amount for r in rows]})
        alt = t("roi.alt.revenue", items=", ".join(f"{r[0]} {r[3]}" for r in table))
        empty = not any(r.revenue.conversions for r in rows)
        panel.update(headers, table, figure, alt, empty=empty)

    def _holdout(self, data: roi.JourneyRoi) -> None:
        found = data.uplift
        self.holdout_box.set_visibility(found is not None)
        self.no_holdout.set_visibility(found is None)
        if found is None:
            return
        currency = data.currency
        self.revenue_words.set_text(revenue_sentence(found.incremental, currency) if data.has_goal else "")
        self.rate_words.set_text(rate_sentence(found.rate) if data.has_goal else t("analytics.no_goal"))
        names = [t("roi.group.treated"), t("roi.group.holdout")]
        groups = (found.treated, found.held)
        headers = [t("roi.col.group"), t("roi.col.contacts"), t("roi.col.conversions")]
        headers += [t("roi.col.rate"), t("roi.col.per_contact")]
        table = [
            [name, g.entrants, g.conversions, percent(g.rate if g.entrants else None, 2)]
            + [money(g.mean, currency, cents=True)]
            for name, g in zip(names, groups, strict=True)
        ]
        figure = groups_figure(
            names, [g.mean for g in groups], [g.mean_margin() for g in groups], t("roi.col.per_contact")
        )
        alt = t("roi.alt.groups", items=", ".join(f"{r[0]} {r[4]}" for r in table))
        self.groups.update(headers, table, figure, alt)


class ProgrammeRevenue:
    """The dashboard's revenue line: revenue attributed in the period, and the control group's comparison."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.ticks = 0
        self.bounds: tuple[int, int] | None = None

    def render(self) -> None:
        with ui.card().props("flat bordered").classes("px-3 py-2").mark("programme-revenue"):
            ui.label(t("roi.dashboard.revenue")).classes("text-xs text-gray-500")
            self.amount = ui.label(NONE).classes("text-xl font-semibold").mark("period-revenue")
            self.unconverted = ui.label("").classes("text-sm text-warning").mark("period-unconverted")
            self.words = ui.label("").classes("text-base font-medium").mark("programme-uplift")

    def refresh(self, start: int, end: int) -> None:
        self.ticks += 1
        if (start, end) == self.bounds and self.ticks % EVERY:
            return
        self.bounds = (start, end)
        data = roi.programme_roi(self.ctx, start=start, end=end)
        found = data.revenue.conversions > 0
        self.amount.set_text(money(data.revenue.amount, data.currency) if found else t("roi.dashboard.no_revenue"))
        other = unconverted(data.revenue.unconverted)
        self.unconverted.set_text(t("roi.unconverted", amounts=other) if other else "")
        incremental = data.uplift.incremental if data.uplift else None
        self.words.set_text(revenue_sentence(incremental, data.currency, whole="programme") if data.uplift else "")
