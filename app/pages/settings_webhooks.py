"""Settings → Webhooks (admins): the signing secret (masked; reveal, copy, set, rotate) and the host allow-list.

The secret reaches the browser only when an admin asks to reveal or copy it, and each of those clicks checks
the role again on the server.
"""

from __future__ import annotations

from collections.abc import Callable

from nicegui import ui

from app.access import policy as access
from app.access import secrets
from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.core.theme import use_language
from app.delivery import webhook_config, webhook_keys
from app.i18n import t


class WebhooksSection:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("webhooks-section"):
            ui.label(t("webhooks.title")).classes("text-lg font-semibold")
            ui.label(t("webhooks.signing.hint")).classes("text-sm text-gray-600")
            self.shown = ui.input(t("webhooks.signing.secret")).props("readonly outlined dense")
            self.shown.classes("w-full font-mono").mark("webhook-secret")
            self.source = ui.label("").classes("text-xs text-gray-600").mark("webhook-secret-source")
            with ui.row().classes("items-center gap-2"):
                ui.button(t("webhooks.reveal"), icon="visibility", on_click=self.reveal).props("flat").mark(
                    "webhook-secret-reveal"
                )
                ui.button(t("webhooks.copy"), icon="content_copy", on_click=self.copy).props("flat").mark(
                    "webhook-secret-copy"
                )
                ui.button(t("webhooks.rotate"), icon="autorenew", on_click=self.rotate).mark("webhook-secret-rotate")
            with ui.row().classes("items-end gap-3"):
                self.new_secret = ui.input(t("webhooks.signing.set"), password=True).classes("w-96")
                self.new_secret.mark("webhook-secret-new")
                ui.button(t("common.save"), on_click=self.set_secret).props("flat").mark("webhook-secret-save")
            ui.separator()
            ui.label(t("webhooks.allow.title")).classes("font-medium")
            ui.label(t("webhooks.allow.hint")).classes("text-sm text-gray-600")
            hosts = "\n".join(webhook_config.stored_allowlist(self.ctx))
            self.allow = ui.textarea(t("webhooks.allow.hosts"), value=hosts).classes("w-96").mark("webhook-allow")
            self.error = ui.label("").classes("text-negative").mark("webhooks-error")
            ui.button(t("common.save"), icon="save", on_click=self.save_allowlist).mark("webhook-allow-save")
        self.show_masked()

    def show_masked(self) -> None:
        keys = webhook_keys.signing_keys(self.ctx)
        self.shown.value = secrets.mask(keys.current)
        self.source.text = t(webhook_keys.SOURCE_KEYS[keys.source])
        if keys.previous_until is not None:
            self.source.text += " " + t("webhooks.grace", until=f"{keys.previous_until:%Y-%m-%d %H:%M} UTC")

    @guarded(ADMIN)
    def reveal(self) -> None:
        self.shown.value = webhook_keys.signing_keys(self.ctx).current

    @guarded(ADMIN)
    def copy(self) -> None:
        ui.clipboard.write(webhook_keys.signing_keys(self.ctx).current)
        ui.notify(t("webhooks.copied"), type="positive")

    @guarded(ADMIN)
    def rotate(self) -> None:
        actor = admin_email()
        self._change(lambda: webhook_keys.rotate(self.ctx, actor=actor))

    @guarded(ADMIN)
    def set_secret(self) -> None:
        actor = admin_email()
        self._change(lambda: webhook_keys.set_secret(self.ctx, self.new_secret.value or "", actor=actor))
        self.new_secret.value = ""

    def _change(self, action: Callable[[], object]) -> None:
        try:
            action()
        except webhook_keys.SigningKeyError as exc:
            self.error.text = str(exc)
            ui.notify(self.error.text, type="negative")
            return
        self.error.text = ""
        self.show_masked()
        ui.notify(t("webhooks.rotated"), type="positive")

    @guarded(ADMIN)
    def save_allowlist(self) -> None:
        actor = admin_email()
        try:
            saved = webhook_config.save_allowlist(self.ctx, self.allow.value or "", actor=actor)
        except ValueError as exc:
            self.error.text = t("webhooks.allow.invalid", problem=str(exc))
            ui.notify(self.error.text, type="negative")
            return
        self.error.text = ""
        self.allow.value = "\n".join(saved)
        ui.notify(t("webhooks.allow.saved", count=len(saved)), type="positive")


def admin_email() -> str:
    """The acting admin's email inside a guarded handler (which tells the user when they may not act)."""
    use_language()
    return access.ensure(ADMIN).email
