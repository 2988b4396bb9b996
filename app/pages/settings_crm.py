"""Settings → CRM (admins), one section per CRM (HubSpot, Salesforce): its credentials (encrypted, shown masked),
the field mapping, the outcomes written back, the schedule, the last run and a "Sync now" button with progress
while it runs."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from nicegui import run, ui

from app.access import secrets
from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.i18n import t
from app.integrations.crm import adapters, config, sync
from app.pages.settings_webhooks import admin_email

CRMS = ("hubspot", "salesforce")
# Each CRM's title, how to get access, and a label per credential (literal keys: a test lists them all).
TITLE_KEYS = {"hubspot": ("crm.hubspot", "crm.hubspot.steps"), "salesforce": ("crm.salesforce", "crm.salesforce.steps")}
CREDENTIAL_KEYS = {
    ("hubspot", "access_token"): "crm.hubspot.token",
    ("salesforce", "instance_url"): "crm.salesforce.instance_url",
    ("salesforce", "access_token"): "crm.salesforce.token",
}
SECRET_CREDENTIALS = {"access_token"}


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


def build_all(ctx: AppContext) -> None:
    """The CRM card: a short explanation, then one section per CRM."""
    with ui.card().classes("w-full gap-3").props("flat bordered").mark("crm-section"):
        ui.label(t("crm.title")).classes("text-lg font-semibold")
        ui.label(t("crm.hint")).classes("text-sm text-gray-600")
        for name in CRMS:
            ui.separator()
            CrmSection(ctx, name).build()


class CrmSection:
    """One CRM's sync settings; every button checks the admin role again on the server."""

    def __init__(self, ctx: AppContext, name: str) -> None:
        self.ctx, self.name = ctx, name
        self.pairs: list[tuple[Any, Any]] = []
        self.timer: Any = None
        self.secrets: dict[str, Any] = {}
        self.saved: dict[str, Any] = {}

    def _mark(self, what: str) -> str:
        return f"crm-{self.name}-{what}"

    def build(self) -> None:
        chosen = config.load(self.ctx, self.name)
        title, steps = TITLE_KEYS[self.name]
        with ui.column().classes("w-full gap-3").mark(self._mark("section")):
            ui.label(t(title)).classes("font-medium")
            ui.label(t(steps)).classes("text-sm text-gray-600")
            self._credentials()
            with ui.row().classes("items-center gap-3"):
                self.enabled = ui.checkbox(t("crm.enabled"), value=chosen.enabled).mark(self._mark("enabled"))
                self.minutes = ui.number(t("crm.minutes"), value=chosen.minutes, min=1, precision=0)
                self.minutes.classes("w-40").mark(self._mark("minutes"))
            ui.label(t("crm.mapping")).classes("text-sm font-medium")
            ui.label(t("crm.mapping.hint")).classes("text-xs text-gray-600")
            self.mapping = ui.column().classes("gap-1").mark(self._mark("mapping"))
            for source, target in chosen.mapping.items():
                self.add_pair(source, target)
            add = ui.button(t("crm.mapping.add"), icon="add", on_click=self.add_row).props("flat dense")
            add.mark(self._mark("add"))
            self._outcomes(chosen.outcomes)
            self.error = ui.label("").classes("text-negative").mark(self._mark("error"))
            with ui.row().classes("gap-2"):
                ui.button(t("common.save"), icon="save", on_click=self.save).mark(self._mark("save"))
                self.sync_button = ui.button(t("crm.sync_now"), icon="sync", on_click=self.sync_now)
                self.sync_button.props("outline").mark(self._mark("sync"))
            self.progress = ui.label("").classes("text-sm").mark(self._mark("progress"))
            self.status = ui.column().classes("gap-0 text-sm").mark(self._mark("status"))
        self.show()

    def _credentials(self) -> None:
        for credential in config.ADAPTERS[self.name][0]:
            with ui.row().classes("items-end gap-3 w-full"), ui.column().classes("gap-0"):
                label = t(CREDENTIAL_KEYS[(self.name, credential)])
                box = ui.input(label, password=credential in SECRET_CREDENTIALS).classes("w-96")
                self.secrets[credential] = box.mark(self._mark(credential))
                saved = ui.label("").classes("text-xs text-gray-600").mark(self._mark(f"{credential}-saved"))
                self.saved[credential] = saved

    def _outcomes(self, chosen: list[str]) -> None:
        ui.label(t("crm.outcomes")).classes("text-sm font-medium")
        labels = outcome_labels()
        self.outcomes = {
            key: ui.checkbox(labels[key], value=key in chosen).mark(self._mark(f"outcome-{key}"))
            for key in config.OUTCOMES
        }

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
        masked = config.masked_credentials(self.ctx, self.name)
        for credential, label in self.saved.items():
            value = masked.get(credential)
            label.text = t("providers.saved_as", masked=value) if value else t("providers.not_set")
        self.status.clear()
        with self.status:
            for line in run_summary(config.state(self.ctx, self.name)):
                ui.label(line)

    def values(self) -> dict[str, Any]:
        pairs = [((a.value or "").strip(), (b.value or "").strip()) for a, b in self.pairs]
        return {
            "enabled": bool(self.enabled.value),
            "minutes": self.minutes.value,
            "mapping": {source: target for source, target in pairs if source or target},
            "outcomes": [key for key, box in self.outcomes.items() if box.value],
            "host": config.load(self.ctx, self.name).host,  # set by deployment, not on this page
        }

    @guarded(ADMIN)
    def save(self) -> None:
        if (actor := admin_email()) is None:
            return
        try:
            chosen = config.check(self.values())
            typed = {c: adapters.check_credential(self.name, c, box.value or "") for c, box in self.secrets.items()}
            for credential, value in typed.items():
                if value:
                    config.save_credential(self.ctx, self.name, credential, value, actor=actor)
        except (config.ConfigError, secrets.SecretError) as exc:
            self.error.text = t("crm.invalid", problem=str(exc))
            ui.notify(self.error.text, type="negative")
            return
        config.save(self.ctx, self.name, chosen, actor=actor)
        for box in self.secrets.values():
            box.value = ""
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
            result = await run.io_bound(sync.run, self.ctx, self.name, force=True)
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
        current = sync.PROGRESS.get(self.name)
        if current is not None:
            self.progress.text = t("crm.running", pages=current["pages"], contacts=current["contacts"])
