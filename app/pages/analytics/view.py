"""The journey analytics page body: KPIs, funnel, conversion over time, channels, steps and experiments.

Refreshed by a timer from the counters (a few grouped SELECTs on metric buckets), so numbers move within
a second or two of a change without a page reload. Panels only redraw when their numbers change.
"""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.access import auth
from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import MARKETER, VIEWER
from app.analytics import funnels
from app.analytics.split_funnel import SplitFunnel
from app.analytics.words import period_labels, skip_reason, verdict
from app.conversations import replies_view
from app.core.context import AppContext
from app.core.theme import use_language
from app.engine import experiments
from app.i18n import t
from app.pages.analytics.optimise_view import OptimiseSection
from app.pages.analytics.roi_view import RoiSection
from components.funnel_panels import (
    NONE,
    Panel,
    bars_figure,
    funnel_figure,
    percent,
    series_figure,
    split_funnel_figure,
)
from journeys.metrics import DAY, HOUR

KPIS = (
    "enrolled",
    "in_progress",
    "completed",
    "exited",
    "messaged",
    "delivered",
    "failed",
    "skipped",
    "opened",
    "clicked",
    "converted",
    "unsubscribed",
)
RATES = {
    "conversion": "funnels.rate.conversion",
    "delivery": "funnels.rate.delivery",
    "open": "funnels.rate.open",
    "click": "funnels.rate.click",
}
NODE_COLUMNS = funnels.NODE_METRICS
CHANNEL_METRICS = ("messaged", "sent", "delivered", "failed", "opened", "clicked", "converted")


# Period choices: how far back from now, in seconds (None: since the first entry).
RANGES = {"day": DAY, "week": 7 * DAY, "month": 30 * DAY, "all": None}
RANGE_KEYS = {
    "day": "analytics.range.day",
    "week": "analytics.range.week",
    "month": "analytics.range.month",
    "all": "analytics.range.all",
}
# The funnel's first and last bars are named by the page; the bars between are message steps, named by the marketer.
STEP_KEYS = {"entry": "funnels.step.entry", "conversion": "funnels.step.conversion"}


def panel_labels(empty: str = "analytics.no_data") -> dict[str, str]:
    return {"chart": t("funnels.chart"), "table": t("funnels.table"), "csv": t("funnels.csv"), "empty": t(empty)}


def range_bounds(choice: str, now: int) -> tuple[int | None, int | None]:
    """[start, end) of a period choice: the last 24 hours by the hour, else whole days up to now."""
    span = RANGES.get(choice)
    if span is None:
        return None, None
    if span <= DAY:
        return now - now % HOUR - span + HOUR, now + 1
    return now - now % DAY - span + DAY, now + 1


def funnel_rows(view: funnels.JourneyAnalytics) -> list[list[Any]]:
    """Step name, contacts, share of entries: what the funnel chart draws, as a table."""
    return step_rows(view.steps, view.steps[0].count if view.steps else 0)


def step_rows(steps: list[funnels.FunnelStep], first: int) -> list[list[Any]]:
    rows = []
    for step in steps:
        label = t(STEP_KEYS[step.key]) if step.key in STEP_KEYS else step.label
        rows.append([label, step.count, percent(step.count / first if first else None)])
    return rows


def stage_labels(split: SplitFunnel) -> list[str]:
    """The rows every variant shares: "Assigned", "Message 1", "Message 2"..., "Opened", "Clicked", "Converted"."""
    words = {
        "assigned": t("splitfunnel.stage.assigned"),
        "opened": t("funnels.metric.opened"),
        "clicked": t("funnels.metric.clicked"),
        "converted": t("funnels.step.conversion"),
    }
    labels: list[str] = []
    for stage in split.stages:
        if stage == "message":
            labels.append(t("splitfunnel.stage.message", number=split.stages[: len(labels) + 1].count("message")))
        else:
            labels.append(words[stage])
    return labels


def split_table(split: SplitFunnel, names: dict[str, str]) -> tuple[list[list[Any]], list[Any]]:
    """Rows (steps before the split, then each variant's stages) and the variants as the figure takes them."""
    first = split.before[0].count if split.before else 0
    rows, variants = step_rows(split.before, first), []
    stages = stage_labels(split)
    for series in split.variants:
        name = f"{series.name} ({t('funnels.control')})" if series.control else series.name
        # A message row says which step it is on this variant's path (the rows are depths, not steps).
        hovers = [f"{stages[i]} · {names.get(n, n)}" if n and i else stages[i] for i, n in enumerate(series.steps)]
        variants.append((name, series.counts, hovers))
        for stage, count in zip(stages, series.counts, strict=True):
            rows.append([f"{stage} · {name}", count, percent(count / first if first else None)])
    return rows, variants


class AnalyticsView:
    def __init__(self, ctx: AppContext, journey_id: int, language: str) -> None:
        self.ctx, self.journey_id, self.language = ctx, journey_id, language
        self.kpis: dict[str, Any] = {}
        self.variant_panels: dict[str, Panel] = {}
        self.verdicts: dict[str, Any] = {}
        self.experiment_box: Any = None
        self.range = "all"

    def render(self) -> None:
        with ui.row().classes("items-center gap-4"):
            ui.link(t("funnels.back_to_builder"), f"/journeys/{self.journey_id}").mark("to-builder")
            choices = {key: t(RANGE_KEYS[key]) for key in RANGES}
            period = ui.toggle(choices, value=self.range).props("dense no-caps").mark("range")
            period.on_value_change(lambda e: self.change_range(e.value))
            ui.label(t("funnels.live_note")).classes("text-xs text-gray-500")
        with ui.row().classes("w-full gap-3").mark("kpis"):
            for key in KPIS:
                with ui.card().props("flat bordered").classes("px-3 py-2 min-w-28"):
                    ui.label(t(funnels.METRIC_KEYS[key])).classes("text-xs text-gray-500")
                    self.kpis[key] = ui.label("0").classes("text-xl font-semibold").mark(f"kpi-{key}")
        with ui.row().classes("w-full gap-3 items-center").mark("rates"):
            self.rates = {}
            for key, name in RATES.items():
                with ui.card().props("flat bordered").classes("px-3 py-2 min-w-28"):
                    ui.label(t(name)).classes("text-xs text-gray-500")
                    self.rates[key] = ui.label(NONE).classes("text-lg font-semibold").mark(f"rate-{key}")
            self.no_goal = ui.label(t("analytics.no_goal")).classes("text-xs text-gray-500").mark("no-goal")
        self.funnel = Panel(t("funnels.panel.funnel"), "funnel", panel_labels("analytics.no_data.funnel"))
        self.series = Panel(t("funnels.panel.conversion"), "conversion", panel_labels("analytics.no_data.series"))
        self.channels = Panel(t("funnels.panel.channels"), "channels", panel_labels("analytics.no_data.channels"))
        self.nodes = Panel(t("funnels.panel.nodes"), "nodes", panel_labels(), chart=False, tips=True)
        labels = panel_labels("analytics.no_data.skipped")
        self.skipped = Panel(t("funnels.panel.skipped"), "skipped", labels, chart=False, links=True)
        has_replies = replies_view.has_reply_steps(self.ctx, self.journey_id)
        self.replies = replies_view.RepliesPanel(self.ctx, self.journey_id, panel_labels()) if has_replies else None
        self.route_box = ui.column().classes("w-full gap-2").mark("experiment-routes")
        self.shown_routes: list[tuple[int, bool]] | None = None
        self.experiments = ui.column().classes("w-full gap-4").mark("experiments")
        self.optimised = OptimiseSection(self.ctx, self.journey_id)
        self.roi = RoiSection(self.ctx, self.journey_id)
        self.roi.render()
        self.refresh()
        ui.timer(1.0, self.refresh)

    @guarded(VIEWER)
    def change_range(self, choice: str) -> None:
        self.range = choice if choice in RANGES else "all"
        self.refresh()

    def refresh(self) -> None:
        use_language()
        start, end = range_bounds(self.range, int(self.ctx.clock.now().timestamp()))
        view = funnels.journey_analytics(self.ctx, self.journey_id, start=start, end=end)
        totals = {**view.totals, "in_progress": view.in_progress}
        for key, label in self.kpis.items():
            shown = NONE if key == "converted" and not view.has_goal else str(totals.get(key, 0))
            label.set_text(shown)
        for key, label in self.rates.items():
            label.set_text(percent(getattr(view.rates, key)))
        self.no_goal.set_visibility(not view.has_goal)
        self._funnel(view)
        self._series(view)
        self._channels(view)
        self._nodes(view)
        if self.replies is not None:
            self.replies.refresh(view.names, start, end)
        self._experiments(view)
        self.optimised.refresh(view.names)
        self.roi.refresh(start, end)

    def _funnel(self, view: funnels.JourneyAnalytics) -> None:
        headers = [t("funnels.col.step"), t("funnels.col.count"), t("funnels.col.share")]
        if view.split is None:
            rows = funnel_rows(view)
            figure = funnel_figure([r[0] for r in rows], [r[1] for r in rows], t("funnels.col.count"))
        else:
            rows, variants = split_table(view.split, view.names)
            shared = [(str(r[0]), int(r[1])) for r in rows[: len(view.split.before)]]
            figure = split_funnel_figure(shared, stage_labels(view.split), variants, t("splitfunnel.everyone"))
        alt = t("funnels.alt.funnel", steps=", ".join(f"{r[0]} {r[1]}" for r in rows))
        self.funnel.update(headers, rows, figure, alt, empty=not rows or rows[0][1] == 0)

    def _series(self, view: funnels.JourneyAnalytics) -> None:
        x = period_labels(view.periods, view.grain)
        lines = {
            t(funnels.METRIC_KEYS[m]): [view.series.get(m, {}).get(p, 0) for p in view.periods]
            for m in (("enrolled", "converted") if view.has_goal else ("enrolled",))
        }
        rows = [[x[i], *[values[i] for values in lines.values()]] for i in range(len(x))]
        headers = [t("analytics.by_hour" if view.grain == HOUR else "analytics.by_day"), *lines]
        empty = not any(any(values) for values in lines.values())
        alt = t("funnels.alt.series", points=len(x))
        self.series.update(headers, rows, series_figure(x, lines), alt, empty=empty)

    def _channels(self, view: funnels.JourneyAnalytics) -> None:
        names = sorted(view.channels)
        groups = {t(funnels.METRIC_KEYS[m]): [view.channels[c].get(m, 0) for c in names] for m in CHANNEL_METRICS}
        rows = [[c, *[view.channels[c].get(m, 0) for m in CHANNEL_METRICS]] for c in names]
        headers = [t("funnels.col.channel"), *groups]
        alt = t("funnels.alt.channels", channels=", ".join(f"{c} {view.channels[c].get('messaged', 0)}" for c in names))
        empty = not any(any(values) for values in groups.values())  # skipped-only channels sent nothing
        self.channels.update(headers, rows, bars_figure(names, groups), alt, empty=empty)

    def _nodes(self, view: funnels.JourneyAnalytics) -> None:
        order = [n for n in view.order if n in view.nodes] + sorted(n for n in view.nodes if n not in view.order)
        rows = [[view.names.get(n, n), *[view.nodes[n].get(m, 0) for m in NODE_COLUMNS]] for n in order]
        headers = [t("funnels.col.step"), *[t(funnels.METRIC_KEYS[m]) for m in NODE_COLUMNS]]
        self.nodes.update(headers, rows, None, "", extras=[{"tip": n} for n in order])
        reasons = [skip_reason(code) for code in sorted(view.skipped, key=lambda c: -view.skipped[c])]
        skipped = [[r.words, view.skipped[r.code], r.fix] for r in reasons]
        headers = [t("funnels.col.reason"), t("funnels.col.count"), t("analytics.col.fix")]
        self.skipped.update(headers, skipped, None, "", extras=[{"href": r.href} for r in reasons])

    def _experiments(self, view: funnels.JourneyAnalytics) -> None:
        self._routes()
        for node_id, rows in view.experiments.items():
            panel = self.variant_panels.get(node_id)
            if panel is None:
                with self.experiments:
                    title = t("funnels.panel.variants", node=view.names.get(node_id, node_id))
                    self.verdicts[node_id] = ui.column().classes("gap-1").mark(f"verdict-{node_id}")
                    panel = Panel(title, f"variants-{node_id}", panel_labels(), chart=False)
                self.variant_panels[node_id] = panel
            self._verdicts(node_id, rows, view)
            panel.update(variant_headers(), [variant_cells(r) for r in rows], None, "")

    def _verdicts(self, node_id: str, rows: list[funnels.VariantRow], view: funnels.JourneyAnalytics) -> None:
        control = next((r for r in rows if r.control), None)
        if control is None:
            return
        sample, metric = view.min_samples.get(node_id, 1000), view.experiment_metrics.get(node_id, "conversion")
        sentences = [verdict(r, control, min_sample=sample, metric=metric) for r in rows if not r.control]
        box = self.verdicts[node_id]
        shown = [label.text for label in box.default_slot.children]
        if shown != sentences:
            box.clear()
            with box:
                for sentence in sentences:
                    ui.label(sentence).classes("text-base font-medium").mark("verdict")

    def _routes(self) -> None:
        """Winner routings of this journey, each with an undo button while it is active."""
        found = experiments.routes(self.ctx, self.journey_id)
        state = [(r.id, r.active) for r in found]
        if state == self.shown_routes:
            return
        self.shown_routes = state
        self.route_box.clear()
        principal = access.current_principal()
        may_edit = principal is not None and auth.allows(principal.role, MARKETER)  # viewers see, cannot undo
        with self.route_box:
            for route in found:
                with ui.row().classes("items-center gap-3 bg-green-50 p-2 rounded").mark(f"route-{route.id}"):
                    if route.active:
                        when = funnels.hour_label(route.decided_at)
                        ui.label(t("funnels.winner", variant=route.winner, when=when)).mark("winner")
                        revert = ui.button(t("funnels.revert"), on_click=lambda r=route: self.revert(r.id))
                        revert.props("flat dense no-caps").mark(f"revert-{route.id}")
                        revert.set_enabled(may_edit)
                    else:
                        ui.label(t("funnels.winner_reverted")).mark("winner-reverted")

    @guarded(MARKETER)
    def revert(self, route_id: int) -> None:
        experiments.revert(self.ctx, route_id, actor=access.current_actor())
        self._routes()


def variant_headers() -> list[str]:
    return [
        t("funnels.col.variant"),
        t("funnels.col.exposures"),
        t("funnels.col.conversions"),
        t("funnels.col.rate"),
        t("funnels.col.uplift"),
        t("funnels.col.interval"),
        t("funnels.col.prob"),
        t("funnels.col.significant"),
    ]


def variant_cells(row: funnels.VariantRow) -> list[Any]:
    name = f"{row.variant} ({t('funnels.control')})" if row.control else row.variant
    interval = "–" if row.low is None else f"[{row.low * 100:+.2f}, {row.high * 100:+.2f}] pts"
    return [
        name,
        row.exposures,
        row.conversions,
        percent(row.rate, 2),
        percent(row.uplift),
        interval,
        percent(row.prob_beat),
        "" if row.control else t("funnels.yes" if row.significant else "funnels.no"),
    ]
