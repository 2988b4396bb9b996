"""The outbox page: the latest messages with their status, the sandbox included."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.access.policy import MARKETER, requires
from app.core.context import current
from app.core.theme import frame
from app.delivery.providers import simulated
from app.i18n import t
from storage import outbox as store

STATUSES = ("sandbox", "pending", "sent", "failed")


def _summary(payload: dict[str, Any]) -> str:
    text = payload.get("subject") or payload.get("title") or payload.get("body") or payload.get("url") or ""
    text = " ".join(str(text).split())
    return text if len(text) <= 80 else text[:79] + "…"


def outbox_page(status: str | None = None) -> None:
    status = status if status in STATUSES else None
    with current().db.engine.connect() as conn:
        rows = store.listing(conn, status=status, limit=200)
    with frame(t("outbox.title")):
        ui.label(t("outbox.hint")).classes("text-gray-600")
        with ui.row().classes("gap-2"):
            ui.link(t("outbox.filter.all"), "/outbox")
            for name in STATUSES:
                ui.link(t(f"outbox.status.{name}"), f"/outbox?status={name}")
        if not rows:
            ui.label(t("outbox.empty")).mark("outbox-empty")
            return
        columns = [
            {"name": key, "label": t(f"outbox.col.{key}"), "field": key, "align": "left"}
            for key in ("channel", "contact", "content", "status", "error")
        ]
        table_rows = [
            {
                "id": r.id,
                "channel": r.channel,
                "contact": r.payload.get("external_id") or r.contact_id,
                "content": _summary(r.payload),
                "status": _status(r),
                "error": r.last_error or "",
            }
            for r in rows
        ]
        ui.table(columns=columns, rows=table_rows, row_key="id").classes("w-full").mark("outbox-table")


def register() -> None:
    ui.page("/outbox")(requires(MARKETER)(outbox_page))


def _status(row: Any) -> str:
    """The status, naming the simulated provider so demo messages are never taken for real ones."""
    status = t(f"outbox.status.{row.status}")
    if row.provider == simulated.NAME:
        return f"{status} · {t('demo_live.provider')}"
    if row.last_error == simulated.REFUSED_REASON:
        return f"{status} · {t('demo_live.refused')}"
    return status
