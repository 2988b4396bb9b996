"""Settings → CRM (admins): the HubSpot token (encrypted, shown masked), the field mapping, the outcomes written
back, the schedule, the last run and a "Sync now" button with progress while it runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nicegui import run, ui

from app import secrets
from app.access import ADMIN
from app.context import AppContext
from app.guard import guarded
from app.i18n import t
from app.integrations.crm import config, sync
from app.pages.settings_webhooks import admin_email

NAME = "hubspot"


def outcome_labels() -> dict[str, str]:
    return {
        "journey": t("crm.outcome.journey"),
        "converted": t("crm.outcome.converted"),
        "last_channel": t("crm.outcome.last_channel"),
        "last_message_at": t("crm.outcome.last_message_at"),
        "revenue": t("crm.outcome.revenue"),
    }


def _when(value: Any) -> str:
    return f"{datetime.fromisoformat(value):%Y-%m-%d %H:%M}" if value else ""


def run_summary(stored: dict[str, Any]) -> list[str]:
    """The last run in the reader's language: when, how many, and the error and retry time if any."""
    last = stored.get("last_run")
    if not last:
        return [t("crm.never")]
    lines = [t("crm.last_run", at=_when(last["started_at"]), contacts=last["contacts"], written=last["written_back"])]
    if last.get("error"):
        lines.append(t("crm.last_error", error=last["error"]))
    if stored.get("retry_at"):
        lines.append(t("crm.retry_at", at=_when(stored["retry_at"])))
    return lines


class CrmSection:
    """HubSpot's sync settings; every button checks the admin role again on the server."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.pairs: list[tuple[Any, Any]] = []
        self.timer: Any = None

    def build(self) -> None:
        chosen = config.load(self.ctx, NAME)
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("crm-section"):
            ui.label(t("crm.title")).classes("text-lg font-semibold")
            ui.label(t("crm.hint")).classes("text-sm text-gray-600")
            ui.label(t("crm.hubspot")).classes("font-medium")
            ui.label(t("crm.hubspot.steps")).classes("text-sm text-gray-600")
            with ui.row().classes("items-end gap-3 w-full"), ui.column().classes("gap-0"):
                self.token = ui.input(t("crm.hubspot.token"), password=True).classes("w-96").mark("crm-token")
                self.masked = ui.label("").classes("text-xs text-gray-600").mark("crm-token-saved")
            with ui.row().classes("items-center gap-3"):
                self.enabled = ui.checkbox(t("crm.enabled"), value=chosen.enabled).mark("crm-enabled")
                self.minutes = ui.number(t("crm.minutes"), value=chosen.minutes, min=1, precision=0)
                self.minutes.classes("w-40").mark("crm-minutes")
            ui.label(t("crm.mapping")).classes("text-sm font-medium")
            ui.label(t("crm.mapping.hint")).classes("text-xs text-gray-600")
            self.mapping = ui.column().classes("gap-1").mark("crm-mapping")
            for source, target in chosen.mapping.items():
                self.add_pair(source, target)
            ui.button(t("crm.mapping.add"), icon="add", on_click=self.add_row).props("flat dense").mark("crm-add")
            ui.label(t("crm.outcomes")).classes("text-sm font-medium")
            labels = outcome_labels()
            self.outcomes = {
                key: ui.checkbox(labels[key], value=key in chosen.outcomes).mark(f"crm-outcome-{key}")
                for key in config.OUTCOMES
            }
            self.error = ui.label("").classes("text-negative").mark("crm-error")
            with ui.row().classes("gap-2"):
                ui.button(t("common.save"), icon="save", on_click=self.save).mark("crm-save")
                self.sync_button = ui.button(t("crm.sync_now"), icon="sync", on_click=self.sync_now)
                self.sync_button.props("outline").mark("crm-sync")
            self.progress = ui.label("").classes("text-sm").mark("crm-progress")
            self.status = ui.column().classes("gap-0 text-sm").mark("crm-status")
        self.show()

    def add_pair(self, source: str = "", target: str = "") -> None:
        with self.mapping, ui.row().classes("items-center gap-2") as row:
            left = ui.input(t("crm.mapping.source"), value=source).props("dense").classes("w-56")
            right = ui.input(t("crm.mapping.target"), value=target).props("dense").classes("w-56")
            pair = (left, right)
            self.pairs.append(pair)
            ui.button(icon="close", on_click=lambda: self.remove_row(pair, row)).props("flat dense round").tooltip(
                t("crm.mapping.remove")
            )

    @guarded(ADMIN)
    def add_row(self) -> None:
        self.add_pair()

    @guarded(ADMIN)
    def remove_row(self, pair: tuple[Any, Any], row: Any) -> None:
        self.pairs.remove(pair)
        self.mapping.remove(row)

    def show(self) -> None:
        masked = config.masked_credentials(self.ctx, NAME).get("access_token")
        self.masked.text = t("providers.saved_as", masked=masked) if masked else t("providers.not_set")
        self.status.clear()
        with self.status:
            for line in run_summary(config.state(self.ctx, NAME)):
                ui.label(line)

    def values(self) -> dict[str, Any]:
        pairs = [((a.value or "").strip(), (b.value or "").strip()) for a, b in self.pairs]
        return {
            "enabled": bool(self.enabled.value),
            "minutes": self.minutes.value,
            "mapping": {source: target for source, target in pairs if source or target},
            "outcomes": [key for key, box in self.outcomes.items() if box.value],
            "host": config.load(self.ctx, NAME).host,  # set by deployment, not on this page
        }

    @guarded(ADMIN)
    def save(self) -> None:
        if (actor := admin_email()) is None:
            return
        try:
            chosen = config.check(self.values())
            if (self.token.value or "").strip():
                config.save_credential(self.ctx, NAME, "access_token", self.token.value, actor=actor)
        except (config.ConfigError, secrets.SecretError) as exc:
            self.error.text = t("crm.invalid", problem=str(exc))
            ui.notify(self.error.text, type="negative")
            return
        config.save(self.ctx, NAME, chosen, actor=actor)
        self.token.value = ""
        self.error.text = ""
        self.show()
        ui.notify(t("crm.saved"), type="positive")

    @guarded(ADMIN)
    async def sync_now(self) -> None:
        if admin_email() is None:
            return
        self.sync_button.disable()
        self.timer = ui.timer(0.5, self.tick)
        try:
            result = await run.io_bound(sync.run, self.ctx, NAME, force=True)
        finally:
            self.timer.cancel()
            self.sync_button.enable()
            self.progress.text = ""
        self.show()
        if result.busy:
            ui.notify(t("crm.busy"), type="warning")
        elif result.error:
            ui.notify(t("crm.failed", error=result.error), type="negative")
        else:
            ui.notify(t("crm.done", contacts=result.contacts), type="positive")

    def tick(self) -> None:
        """Progress of the run going on in this process (read only)."""
        current = sync.PROGRESS.get(NAME)
        if current is not None:
            self.progress.text = t("crm.running", pages=current["pages"], contacts=current["contacts"])
