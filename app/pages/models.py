"""/models: predictions per goal (holdout AUC, calibration plot, main drivers in words, band counts), a "train
now" button and a form to add a goal (marketers and admins; both re-checked at the click). Too little data shows
the refusal instead of a model."""

from __future__ import annotations

from datetime import UTC, datetime

import plotly.graph_objects as go
from nicegui import run, ui

from app.access import policy as access
from app.access.auth import allows
from app.access.guard import guarded
from app.access.policy import MARKETER, VIEWER, requires
from app.core.context import AppContext, current
from app.core.theme import frame
from app.i18n import t
from app.predictions import overview, service
from app.predictions.model import TooLittleData
from app.predictions.words import driver_line
from journeys.errors import ParcoursError
from journeys.predictions import BANDS

BAND_KEYS = {"high": "models.band.high", "medium": "models.band.medium", "low": "models.band.low"}


def calibration_figure(points: list[dict[str, float]]) -> go.Figure:
    predicted = [p["predicted"] for p in points]
    observed = [p["observed"] for p in points]
    top = max([*predicted, *observed, 0.05])
    figure = go.Figure()
    figure.add_scatter(x=[0, top], y=[0, top], mode="lines", name=t("models.calibration.ideal"), line={"dash": "dot"})
    figure.add_scatter(x=predicted, y=observed, mode="lines+markers", name=t("models.calibration.observed"))
    figure.update_layout(
        height=300,
        margin={"l": 50, "r": 10, "t": 10, "b": 40},
        xaxis_title=t("models.calibration.predicted"),
        yaxis_title=t("models.calibration.observed"),
        legend={"orientation": "h", "y": -0.25},
    )
    return figure


class ModelsPage:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        principal = access.current_principal()
        self.editor = principal is not None and allows(principal.role, MARKETER)
        self.form = {"event": "", "horizon": 14}

    def render(self) -> None:
        ui.label(t("models.hint")).classes("text-gray-600")
        self.box = ui.column().classes("w-full gap-4").mark("models-goals")
        self.refresh()
        with ui.card().classes("w-full gap-2").props("flat bordered").mark("models-add"):
            ui.label(t("models.add.title")).classes("text-lg font-semibold")
            with ui.row().classes("items-end gap-3"):
                ui.input(t("models.add.event")).bind_value(self.form, "event").props("maxlength=200").classes(
                    "w-80"
                ).mark("models-event")
                ui.number(t("models.add.horizon"), min=1, max=service.MAX_HORIZON_DAYS, step=1, format="%d").bind_value(
                    self.form, "horizon"
                ).classes("w-40").mark("models-horizon")
                button = ui.button(t("models.add.submit"), on_click=self.add).mark("models-add-submit")
                button.set_enabled(self.editor)

    def refresh(self) -> None:
        self.box.clear()
        goals = overview.goals(self.ctx)
        with self.box:
            if not goals:
                ui.label(t("models.none")).mark("models-none")
            for goal in goals:
                self._goal(goal)

    def _goal(self, goal: overview.GoalView) -> None:
        with ui.card().classes("w-full gap-2").props("flat bordered").mark(f"models-goal-{goal.slug}"):
            with ui.row().classes("items-center gap-3 w-full"):
                ui.label(goal.event).classes("text-lg font-semibold")
                ui.label(t("models.goal.horizon", days=goal.horizon_days)).classes("text-gray-600")
                ui.space()
                train = ui.button(t("models.train"), icon="model_training", on_click=lambda _e, g=goal: self.train(g))
                train.mark(f"models-train-{goal.slug}").set_enabled(self.editor)
            ui.label(t("models.goal.variable", slug=goal.slug)).classes("text-sm text-gray-600 font-mono")
            if goal.refusal:
                key = "models.last_refusal" if goal.trained_at is not None else "models.refused"
                ui.label(t(key, reason=goal.refusal)).classes("text-negative").mark(f"models-refusal-{goal.slug}")
            if goal.trained_at is None:
                if not goal.refusal:
                    ui.label(t("models.not_trained"))
                return
            self._figures(goal)

    def _figures(self, goal: overview.GoalView) -> None:
        when = datetime.fromtimestamp(goal.trained_at or 0, UTC).strftime("%Y-%m-%d %H:%M UTC")
        with ui.row().classes("gap-8"):
            for label, value, mark in (
                (t("models.auc"), f"{goal.auc:.3f}", "auc"),
                (t("models.trained_at"), when, "trained-at"),
                (t("models.contacts"), f"{goal.contacts:,}", "contacts"),
            ):
                with ui.column().classes("gap-0"):
                    ui.label(label).classes("text-sm text-gray-600")
                    ui.label(value).classes("text-xl font-semibold").mark(f"models-{mark}-{goal.slug}")
        ui.label(t("models.auc.hint")).classes("text-sm text-gray-600")
        counts = ", ".join(f"{t(BAND_KEYS[b])} {goal.bands.get(b, 0):,}" for b in BANDS)
        ui.label(f"{t('models.bands')}: {counts}").mark(f"models-bands-{goal.slug}")
        with ui.row().classes("w-full gap-6 items-start no-wrap"):
            with ui.column().classes("w-1/2"):
                ui.label(t("models.calibration")).classes("font-medium")
                ui.plotly(calibration_figure(goal.report.get("calibration", []))).classes("w-full")
            with ui.column().classes("w-1/2").mark(f"models-drivers-{goal.slug}"):
                ui.label(t("models.drivers")).classes("font-medium")
                drivers = goal.report.get("drivers", [])
                if not drivers:
                    ui.label(t("models.drivers.none"))
                for driver in drivers:
                    ui.label(driver_line(driver, goal.event))

    @guarded(MARKETER)
    async def train(self, goal: overview.GoalView) -> None:
        try:
            result = await run.io_bound(service.train, self.ctx, goal.event, goal.horizon_days)
        except TooLittleData as exc:
            ui.notify(t("models.refused", reason=str(exc)), type="warning", multi_line=True)
        else:
            if result is None:  # the server is stopping
                return
            ui.notify(t("models.trained", auc=f"{result.auc:.3f}"), type="positive")
        self.refresh()

    @guarded(MARKETER)
    def add(self) -> None:
        try:
            service.add_goal(self.ctx, str(self.form["event"] or ""), int(self.form["horizon"] or 0))
        except (ParcoursError, ValueError, TypeError) as exc:
            ui.notify(t("models.invalid", reason=str(exc)), type="negative")
            return
        self.form["event"] = ""
        ui.notify(t("models.add.done"), type="positive")
        self.refresh()


def models_page() -> None:
    with frame("models.title"):
        ModelsPage(current()).render()


def register() -> None:
    ui.page("/models")(requires(VIEWER)(models_page))
