"""Admin sections of the settings page: API keys (create shown once, revoke), provider credentials and the
demo's simulated provider (read-only)."""

from __future__ import annotations

import contextlib

from nicegui import ui

from app.access import api_keys as api_key_service
from app.access import policy as access
from app.access import secrets
from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.core.theme import use_language
from app.delivery import provider_config
from app.demo import live as demo_live
from app.i18n import t, tn
from app.pages.settings_webhooks import admin_email
from components.copy_button import copy_button

TWILIO_FIELDS = (
    "sms_provider",
    "twilio_account_sid",
    "twilio_auth_token",
    "twilio_from",
    "twilio_api_base",
    "conversation_unknown_sender",
)


class ApiKeysSection:
    """Keys listed by name and prefix only; a new key is shown once, right after it is created."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("api-keys-section"):
            ui.label(t("settings.api_keys")).classes("text-lg font-semibold")
            ui.label(t("apikeys.hint")).classes("text-sm text-gray-600")
            with ui.row().classes("items-end gap-3"):
                self.name = ui.input(t("apikeys.name")).classes("w-72").mark("apikey-name")
                ui.button(t("apikeys.create"), icon="add", on_click=self.create).mark("apikey-create")
            self.new_key = ui.column().classes("w-full").mark("apikey-new")
            self.listing = ui.column().classes("w-full gap-1").mark("apikey-list")
            self.show_keys()

    def show_keys(self) -> None:
        self.listing.clear()
        with self.listing:
            keys = api_key_service.list_all(self.ctx)
            if not keys:
                ui.label(t("apikeys.none")).classes("text-sm text-gray-600")
            for key in keys:
                with ui.row().classes("items-center gap-4").mark(f"apikey-{key.id}"):
                    ui.label(f"{key.prefix}…").classes("font-mono")
                    ui.label(key.name)
                    ui.label(f"{key.created_at:%Y-%m-%d}").classes("text-sm text-gray-600")
                    if key.revoked_at:
                        ui.badge(t("apikeys.revoked"), color="grey")
                    else:
                        ui.button(t("apikeys.revoke"), on_click=lambda k=key.id: self.revoke(k)).props(
                            "flat dense color=negative"
                        ).mark(f"apikey-revoke-{key.id}")

    @guarded(ADMIN)
    def create(self) -> None:
        use_language()
        try:
            actor = access.ensure(ADMIN).email
            info, raw = api_key_service.create(self.ctx, self.name.value or "", actor=actor)
        except ValueError:
            ui.notify(t("apikeys.name_required"), type="warning")
            return
        self.name.value = ""
        self.new_key.clear()
        with self.new_key:
            ui.label(t("apikeys.shown_once", name=info.name)).classes("text-sm font-medium")
            with ui.row().classes("w-full items-center no-wrap gap-2"):
                ui.input(value=raw).props("readonly outlined dense").classes("grow font-mono").mark("apikey-raw")
                copy_button(raw, t("copysecret.button"), t("copysecret.done")).mark("apikey-copy")
        self.show_keys()

    @guarded(ADMIN)
    def revoke(self, key_id: int) -> None:
        use_language()
        with contextlib.suppress(api_key_service.UnknownApiKey):  # already gone: the refreshed list says so
            api_key_service.revoke(self.ctx, key_id, actor=access.ensure(ADMIN).email)
        ui.notify(t("apikeys.revoked_done"), type="positive")
        self.show_keys()


class ProvidersSection:
    """Provider credentials stored encrypted; a saved secret is only ever shown as its masked tail."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.inputs: dict[str, ui.input] = {}
        self.masks: dict[str, ui.label] = {}

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("providers-section"):
            ui.label(t("settings.providers")).classes("text-lg font-semibold")
            ui.label(t("providers.hint")).classes("text-sm text-gray-600")
            for group, names in (
                ("providers.onesignal", ("onesignal_app_id", "onesignal_api_key", "onesignal_host")),
                ("providers.smtp", ("smtp_host", "smtp_port", "smtp_username", "smtp_password", "smtp_from")),
                ("providers.twilio", TWILIO_FIELDS),
            ):
                ui.label(t(group)).classes("font-medium")
                with ui.row().classes("items-end gap-3 w-full"):
                    for name in names:
                        self.field(name)
            self.error = ui.label("").classes("text-negative").mark("providers-error")
            ui.button(t("common.save"), icon="save", on_click=self.save).mark("save-providers")
            self.simulated()

    def simulated(self) -> None:
        """The demo's provider, read-only: nothing to configure, and never a choice for real sending."""
        running = demo_live.is_live(self.ctx)
        ui.separator()
        with ui.column().classes("gap-1 w-full").mark("provider-simulated"):
            with ui.row().classes("items-center gap-2"):
                ui.label(t("demo_live.provider")).classes("font-medium")
                ui.badge(t("providers.simulated.read_only"), color="grey-6").props("outline")
            ui.label(t("providers.simulated.hint")).classes("text-sm text-gray-600")
            with ui.row().classes("items-center gap-1"):
                ui.icon("play_circle" if running else "pause_circle").classes(
                    "text-positive" if running else "text-gray-500"
                )
                status = "providers.simulated.running" if running else "providers.simulated.stopped"
                ui.label(t(status)).classes("text-sm").mark("provider-simulated-status")

    def field(self, name: str) -> None:
        spec = provider_config.BY_NAME[name]
        current = provider_config.shown(self.ctx, name)
        with ui.column().classes("gap-0"):
            if spec.secret:  # the secret itself never goes to the browser: the field starts empty
                box = ui.input(t(spec.label), password=True)
                self.masks[name] = ui.label(self.saved_text(current)).classes("text-xs text-gray-600")
                self.masks[name].mark(f"provider-{name}-saved")
            elif name in provider_config.CHOICES:
                choices = provider_config.CHOICES[name]
                options = {c: t(provider_config.CHOICE_KEYS[name, c]) for c in choices}
                box = ui.select(options, label=t(spec.label), value=current or choices[0])
            else:
                box = ui.input(t(spec.label), value=current)
            self.inputs[name] = box.classes("w-72").mark(f"provider-{name}")

    @staticmethod
    def saved_text(masked: str) -> str:
        return t("providers.saved_as", masked=masked) if masked else t("providers.not_set")

    @guarded(ADMIN)
    def save(self) -> None:
        actor = admin_email()
        saved = 0
        for name, box in self.inputs.items():
            value = (box.value or "").strip()
            if not value or value == (provider_config.shown(self.ctx, name) or provider_config.default(name)):
                continue  # empty keeps what is stored
            try:
                shown = provider_config.save(self.ctx, name, value, actor=actor)
            except secrets.SecretError as exc:
                self.error.text = str(exc)
                ui.notify(self.error.text, type="negative")
                return
            saved += 1
            if provider_config.BY_NAME[name].secret:
                box.value = ""
                self.masks[name].text = self.saved_text(shown)
        self.error.text = ""
        ui.notify(tn("providers.saved", saved), type="positive")
