"""The live tracking debugger (/debugger): the last calls this process received, like Segment's debugger.

Rows come from app/tracking/debug.py's ring buffer. A timer checks the number of the latest call each second and
redraws the table only when a call arrived or a filter changed, so an idle page sends nothing. Everything an
app sent (event names, user ids, reasons quoting input) reaches the browser as table rows or element text.
"""

from __future__ import annotations

from typing import Any

from nicegui import events, ui

from app.access.policy import MARKETER, requires
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.i18n import t
from app.tracking import debug as tracking_debug
from app.tracking.debug import Call, Problem
from app.tracking.payloads import MESSAGE_TYPES

STATUSES = ("all", "warnings", "refusals")
REFRESH_SECONDS = 1.0
LISTED = 3  # event names and users listed per row before "+N more"
TIME = "%Y-%m-%d %H:%M:%S"


def _listing(values: list[str]) -> str:
    shown = ", ".join(values[:LISTED])
    return shown + (" " + t("debugger.more", count=len(values) - LISTED) if len(values) > LISTED else "")


def _row(call: Call) -> dict[str, Any]:
    return {
        "id": call.number,
        "time": call.received_at.strftime(TIME),
        "key": f"{call.key_name} ({call.key_prefix}…)",
        "path": call.path,
        "messages": call.received,
        "types": ", ".join(call.types),
        "events": _listing(call.names),
        "users": _listing(call.users),
        "kept": call.kept,
        "warnings": call.warning_count,
        "refusals": call.refusal_count,
        "status": call.status,
    }


def _columns(names: tuple[str, ...]) -> list[dict[str, Any]]:
    return [{"name": n, "label": t(f"debugger.col.{n}"), "field": n, "align": "left"} for n in names]


CALL_COLUMNS = ("time", "key", "path", "messages", "types", "events", "users", "kept", "warnings", "refusals", "status")


def _problem_table(title: str, problems: tuple[Problem, ...], count: int, marker: str) -> None:
    ui.label(t(title, count=count)).classes("font-semibold")
    if not count:
        ui.label(t("debugger.detail.none")).classes("text-gray-600")
        return
    rows = [
        {
            "id": n,
            "index": t("debugger.detail.whole_call") if p.index is None else p.index,
            "field": p.field,
            "message": p.message,
        }
        for n, p in enumerate(problems)
    ]
    ui.table(columns=_columns(("index", "field", "message")), rows=rows, row_key="id").classes("w-full").mark(marker)
    if count > len(problems):
        ui.label(t("debugger.detail.not_all", shown=len(problems), count=count)).classes("text-gray-600")


def _detail(call: Call) -> None:
    key = f"{call.key_name} ({call.key_prefix}…)"
    time = call.received_at.strftime(TIME)
    ui.label(t("debugger.detail.title", time=time, api_key=key, path=call.path, status=call.status)).classes(
        "text-lg font-semibold"
    ).mark("debugger-detail-title")
    ui.label(t("debugger.detail.counts", kept=call.kept, received=call.received, events=call.events))
    _problem_table("debugger.detail.warnings", call.warnings, call.warning_count, "debugger-warnings")
    _problem_table("debugger.detail.refusals", call.refusals, call.refusal_count, "debugger-refusals")
    ui.label(t("debugger.detail.messages")).classes("font-semibold")
    rows = [
        {
            "id": m.index,
            "index": m.index,
            "type": m.type,
            "name": m.name,
            "user": m.user,
            "timestamp": m.timestamp.strftime(TIME) if m.timestamp else "",
        }
        for m in call.messages
    ]
    ui.table(columns=_columns(("index", "type", "name", "user", "timestamp")), rows=rows, row_key="id").classes(
        "w-full"
    ).mark("debugger-messages")


class Debugger:
    """The page's state: filters, the calls shown, the call opened."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.kind: str = "all"
        self.text = ""
        self.status = "all"
        self.shown: tuple[Any, ...] | None = None
        self.calls: dict[int, Call] = {}
        with ui.row().classes("items-center gap-4"):
            types = {"all": t("debugger.type.all"), **{name: name for name in sorted(MESSAGE_TYPES)}}
            ui.select(types, value="all", label=t("debugger.type"), on_change=self._set_kind).classes("w-40").mark(
                "debugger-type"
            )
            ui.input(t("debugger.text"), on_change=self._set_text).classes("w-64").mark("debugger-text")
            statuses = {name: t(f"debugger.status.{name}") for name in STATUSES}
            ui.toggle(statuses, value="all", on_change=self._set_status).mark("debugger-status")
        self.empty = ui.label(t("debugger.empty")).classes("text-gray-600").mark("debugger-empty")
        self.table = ui.table(columns=_columns(CALL_COLUMNS), rows=[], row_key="id").classes("w-full cursor-pointer")
        self.table.mark("debugger-table")
        self.table.on("rowClick", self._open)
        self.detail = ui.column().classes("w-full gap-2").mark("debugger-detail")
        self.refresh()
        ui.timer(REFRESH_SECONDS, self.refresh)

    def refresh(self) -> None:
        """Redraw the table when a call arrived or a filter changed; otherwise send nothing."""
        state = (tracking_debug.last_number(self.ctx), self.kind, self.text, self.status)
        if state == self.shown:
            return
        self.shown = state
        use_language()
        kind = None if self.kind == "all" else self.kind
        calls = [c for c in tracking_debug.recent(self.ctx) if c.matches(kind, self.text, self.status)]
        self.calls = {c.number: c for c in calls}
        self.table.rows = [_row(c) for c in calls]
        self.empty.set_visibility(not calls)

    def _set_kind(self, event: events.ValueChangeEventArguments) -> None:
        self.kind = event.value if event.value in MESSAGE_TYPES else "all"
        self.refresh()

    def _set_text(self, event: events.ValueChangeEventArguments) -> None:
        self.text = str(event.value or "")
        self.refresh()

    def _set_status(self, event: events.ValueChangeEventArguments) -> None:
        self.status = event.value if event.value in STATUSES else "all"
        self.refresh()

    def _open(self, event: events.GenericEventArguments) -> None:
        """A row was clicked (Quasar sends the DOM event, the row and its index)."""
        use_language()
        row = event.args[1] if isinstance(event.args, list) and len(event.args) > 1 else None
        number = row.get("id") if isinstance(row, dict) else None
        call = self.calls.get(number) if isinstance(number, int) else None
        self.detail.clear()
        with self.detail:
            if call is None:
                ui.label(t("debugger.detail.gone"))
            else:
                _detail(call)


def debugger_page() -> None:
    with frame("debugger.title"):
        ui.label(t("debugger.hint", count=tracking_debug.CAPACITY)).classes("text-gray-600")
        Debugger(current())


def register() -> None:
    ui.page("/debugger")(requires(MARKETER)(debugger_page))
