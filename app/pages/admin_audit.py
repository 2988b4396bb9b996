"""Admin: the audit log, filterable by actor, action and dates. Read only: nothing here changes an entry."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

from nicegui import ui

from app.access import audit
from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import ADMIN, requires
from app.core.context import current
from app.core.theme import frame
from app.i18n import t
from storage.trust_models import AuditEntry


def _day(value: str | None, *, end: bool = False) -> datetime | None:
    """A YYYY-MM-DD input as a UTC bound; the end date includes its whole day. Bad input means no bound."""
    try:
        day = date.fromisoformat(value) if value else None
    except ValueError:
        return None
    if day is None:
        return None
    start = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return start + timedelta(days=1) if end else start


def _rows(entries: list[AuditEntry]) -> list[dict[str, str]]:
    return [
        {
            "id": str(entry.id),
            "at": entry.at.strftime("%Y-%m-%d %H:%M:%S"),
            "actor": entry.actor,
            "action": entry.action,
            "target": entry.target,
            "details": json.dumps(entry.details, ensure_ascii=False) if entry.details else "",
            "ip": entry.ip or "",
        }
        for entry in entries
    ]


def audit_page() -> None:
    ctx = current()
    columns = [
        {"name": key, "label": t(f"audit.col.{key}"), "field": key, "align": "left"}
        for key in ("at", "actor", "action", "target", "details", "ip")
    ]
    with frame(t("audit.title")):
        with ui.row().classes("w-full items-end gap-3"):
            actor = ui.input(t("audit.actor")).mark("filter-actor")
            action = (
                ui.select(
                    {"": t("audit.any_action")} | {a: a for a in audit.actions(ctx)}, value="", label=t("audit.action")
                )
                .classes("w-48")
                .mark("filter-action")
            )
            since = ui.input(t("audit.since")).props("type=date").mark("filter-since")
            until = ui.input(t("audit.until")).props("type=date").mark("filter-until")
        table = ui.table(columns=columns, rows=[], row_key="id").classes("w-full").mark("audit-table")
        table.props("dense flat bordered wrap-cells")
        note = ui.label("").classes("text-gray-500 text-sm")

        @guarded(ADMIN)
        def apply() -> None:
            try:
                access.ensure(ADMIN)  # the role may have changed since the page was built
            except PermissionError as exc:
                ui.notify(str(exc), type="negative")
                return
            entries = audit.entries(
                ctx, actor=actor.value, action=action.value, since=_day(since.value), until=_day(until.value, end=True)
            )
            table.rows = _rows(entries)
            note.set_text(t("audit.count", count=len(entries)))

        ui.button(t("audit.filter"), on_click=apply).mark("filter-apply")
        apply()


def register() -> None:
    ui.page("/admin/audit")(requires(ADMIN)(audit_page))
