"""/journeys/{id}/analytics: the live funnel and experiment results of one journey."""

from __future__ import annotations

from nicegui import ui

from app.access.policy import VIEWER, requires
from app.analytics import funnels
from app.core.context import current
from app.core.theme import frame, use_language
from app.i18n import current_language, t
from app.pages.analytics.view import AnalyticsView


def analytics_page(journey_id: int) -> None:
    ctx = current()
    try:
        view = funnels.journey_analytics(ctx, journey_id)
    except LookupError:
        with frame("funnels.analytics_title"):
            ui.label(t("funnels.not_found", id=journey_id)).mark("not-found")
        return
    use_language()
    with frame(t("funnels.analytics_title", name=view.name)):
        AnalyticsView(ctx, journey_id, current_language()).render()


def register() -> None:
    ui.page("/journeys/{journey_id}/analytics")(requires(VIEWER)(analytics_page))
