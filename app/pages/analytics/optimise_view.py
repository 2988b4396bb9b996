"""The optimised splits of a journey's analytics page: each one's share of entrants by day, one line per path,
and the current decision in words ("B gets 72% because it converts at 6.1% against 4.0% ...").

Refreshed with the page's timer, every few ticks, and at once on a period change of the page.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.analytics.words import period_labels
from app.core.context import AppContext
from app.engine import optimiser
from app.i18n import t
from app.pages.analytics.roi_view import panel_labels
from components.funnel_panels import Panel, percent, series_figure
from journeys.metrics import DAY

EVERY = 5  # refresh every fifth tick of the page's one-second timer
CLEAR = 0.6  # a probability of being best from which the leader's lead is explained as such


def decision(report: optimiser.SplitReport) -> str:
    """The current allocation of one optimised split, in words."""
    allocation = report.allocation
    if allocation.learning:
        return t("optimise.learning", share=percent(1 / max(1, len(report.percents)), 0))
    leader = max(allocation.prob_best, key=lambda name: allocation.prob_best[name])
    values = {
        "variant": leader,
        "share": f"{report.percents[leader]}%",
        "rate": percent(allocation.rates[leader]),
        "prob": percent(allocation.prob_best[leader], 0),
    }
    others = [name for name in allocation.rates if name != leader]
    if allocation.prob_best[leader] < CLEAR or not others:
        return t("optimise.even", **values)
    other = max(others, key=lambda name: allocation.rates[name])
    return t("optimise.leading", **values, other=other, other_rate=percent(allocation.rates[other]))


def history_rows(report: optimiser.SplitReport) -> tuple[list[str], dict[str, list[float]]]:
    """Day labels and, per path, its share of that day's entrants in percent."""
    days = [day for day, _shares in report.history]
    lines = {
        name: [round(shares.get(name, 0.0) * 100, 1) for _day, shares in report.history] for name in report.percents
    }
    return period_labels(days, DAY), lines


class OptimiseSection:
    def __init__(self, ctx: AppContext, journey_id: int) -> None:
        self.ctx, self.journey_id = ctx, journey_id
        self.names: dict[str, str] = {}
        self.panels: dict[str, tuple[Panel, Any, Any]] = {}
        self.ticks = 0
        self.box = ui.column().classes("w-full gap-4").mark("optimised-splits")

    def refresh(self, names: dict[str, str]) -> None:
        """Re-read every EVERY-th call (the first one included): the shares move once per period at most."""
        self.names = names
        self.ticks += 1
        if self.ticks % EVERY != 1:
            return
        for report in optimiser.reports(self.ctx, self.journey_id):
            self._show(report)

    def _show(self, report: optimiser.SplitReport) -> None:
        found = self.panels.get(report.node_id)
        if found is None:
            with self.box:
                words = ui.label("").classes("text-base font-medium").mark(f"optimise-words-{report.node_id}")
                now = ui.label("").classes("text-sm text-gray-600").mark(f"optimise-now-{report.node_id}")
                title = t("optimise.panel", node=self.names.get(report.node_id, report.node_id))
                panel = Panel(title, f"optimise-{report.node_id}", panel_labels())
            found = self.panels[report.node_id] = (panel, words, now)
        panel, words, now = found
        words.set_text(decision(report))
        shares = ", ".join(f"{name} {share}%" for name, share in report.percents.items())
        now.set_text(t("optimise.now", shares=shares, hours=report.refresh_hours))
        x, lines = history_rows(report)
        rows = [[x[i], *[values[i] for values in lines.values()]] for i in range(len(x))]
        alt = t("optimise.alt", days=len(x))
        panel.update([t("optimise.col.day"), *lines], rows, series_figure(x, lines), alt, empty=not rows)
