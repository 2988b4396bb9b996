"""Admin: the quarantine, rows the engine or dispatcher parked, with Retry and Discard (both audited)."""

from __future__ import annotations

from datetime import UTC, datetime

from nicegui import ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import ADMIN, requires
from app.core.context import current
from app.core.theme import frame
from app.engine import quarantine
from app.i18n import t


@guarded(ADMIN)
def _act(action: str, entry_id: int, refresh: ui.refreshable) -> None:
    """Retry or discard as the signed-in admin, whose role is read again now (it may have changed)."""
    try:
        principal = access.ensure(ADMIN)
        if action == "retry":
            ok = quarantine.retry(current(), entry_id, actor=principal.email)
            ui.notify(
                t("quarantine.retried" if ok else "quarantine.still_failing"), type="positive" if ok else "warning"
            )
        else:
            quarantine.discard(current(), entry_id, actor=principal.email)
            ui.notify(t("quarantine.discarded"), type="positive")
    except PermissionError as exc:
        ui.notify(str(exc), type="negative")
        return
    except quarantine.NotQuarantined:
        ui.notify(t("quarantine.gone"), type="warning")
    refresh.refresh()


def _entry_row(entry: quarantine.Entry, refresh: ui.refreshable) -> None:
    card = ui.card().classes("w-full").props("flat bordered").mark(f"quarantine-{entry.kind}-{entry.row_id}")
    with card, ui.row().classes("w-full items-center gap-4"):
        with ui.column().classes("grow gap-0"):
            where = [t(f"quarantine.kind.{entry.kind}") + f" #{entry.row_id}"]
            if entry.journey_id is not None:
                where.append(t("quarantine.journey", journey=entry.journey_id))
            if entry.contact_id is not None:
                where.append(t("quarantine.contact", contact=entry.contact_id))
            ui.label(" · ".join(where)).classes("font-medium")
            ui.label(entry.reason).classes("text-sm font-mono text-negative")  # element text: never markup
        when = datetime.fromtimestamp(entry.created_at, UTC).strftime("%Y-%m-%d %H:%M:%S UTC")
        ui.label(when).classes("text-gray-500 text-sm")
        ui.button(t("quarantine.retry"), on_click=lambda: _act("retry", entry.id, refresh)).props("flat").mark(
            f"retry-{entry.kind}-{entry.row_id}"
        )
        ui.button(t("quarantine.discard"), on_click=lambda: _act("discard", entry.id, refresh)).props(
            "flat color=negative"
        ).mark(f"discard-{entry.kind}-{entry.row_id}")


def quarantine_page() -> None:
    with frame(t("quarantine.title")):
        ui.label(t("quarantine.hint")).classes("text-gray-600")

        @ui.refreshable
        def entry_list() -> None:
            entries = quarantine.entries(current())
            with ui.column().classes("w-full gap-2").mark("quarantine-list"):
                if not entries:
                    ui.label(t("quarantine.empty")).classes("text-gray-500").mark("quarantine-empty")
                for entry in entries:
                    _entry_row(entry, entry_list)

        entry_list()


def register() -> None:
    ui.page("/admin/quarantine")(requires(ADMIN)(quarantine_page))
