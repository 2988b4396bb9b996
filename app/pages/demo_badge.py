"""The live demo's marks in the UI: a badge in the header on every page, and a notice with a stop button."""

from __future__ import annotations

from nicegui import ui

from app.access import policy as access
from app.access.auth import MARKETER, allows
from app.access.guard import guarded
from app.core.context import current
from app.core.theme import use_language
from app.demo import live as demo_live
from app.i18n import t


def badge() -> None:
    """A "Demo data (simulated)" badge while the demo runs (drawn by the header)."""
    try:
        live = demo_live.is_live(current())
    except RuntimeError:  # no database yet (first start)
        return
    if live:
        ui.badge(t("demo_live.badge"), color="amber-4", text_color="black").classes("text-sm px-2 py-1").mark(
            "demo-badge"
        ).tooltip(t("demo_live.badge_hint"))


class DemoNotice:
    """What the demo is, and for marketers the way to stop it."""

    def render(self) -> None:
        if not demo_live.is_live(current()):
            return
        card = ui.card().props("flat bordered").classes("w-full bg-amber-50").mark("demo-notice")
        self.card = card
        with card, ui.row().classes("items-center gap-4 w-full no-wrap"):
            ui.icon("science", size="md").classes("text-amber-700")
            ui.label(t("demo_live.notice")).classes("text-sm grow")
            principal = access.current_principal()
            if principal is not None and allows(principal.role, MARKETER):
                ui.button(t("demo_live.stop"), icon="stop_circle", on_click=self.stop).props("outline").mark(
                    "demo-stop"
                )

    @guarded(MARKETER)
    def stop(self) -> None:
        use_language()
        demo_live.stop(current(), actor=access.current_actor())
        self.card.set_visibility(False)
        ui.notify(t("demo_live.stopped"), type="positive")
