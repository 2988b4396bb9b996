"""Admin section of the settings page: management API tokens (role, shown once, last use, revoke)."""

from __future__ import annotations

import contextlib

from nicegui import ui

from app.access import api_keys as api_key_service
from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import ADMIN, MARKETER, VIEWER
from app.core.context import AppContext
from app.i18n import t
from components.copy_button import copy_button


class TokensSection:
    """Tokens listed by name, prefix, role and last use; a new token is shown once, right after it is created."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("tokens-section"):
            ui.label(t("tokens.title")).classes("text-lg font-semibold")
            ui.label(t("tokens.hint")).classes("text-sm text-gray-600")
            with ui.row().classes("items-end gap-3"):
                self.name = ui.input(t("tokens.name")).classes("w-72").mark("token-name")
                roles = {role: t(f"role.{role}") for role in (VIEWER, MARKETER)}
                self.role = ui.select(roles, value=VIEWER, label=t("tokens.role")).classes("w-40").mark("token-role")
                ui.button(t("tokens.create"), icon="add", on_click=self.create).mark("token-create")
            self.new_token = ui.column().classes("w-full").mark("token-new")
            self.listing = ui.column().classes("w-full gap-1").mark("token-list")
            self.show_tokens()

    def show_tokens(self) -> None:
        self.listing.clear()
        with self.listing:
            tokens = api_key_service.list_tokens(self.ctx)
            if not tokens:
                ui.label(t("tokens.none")).classes("text-sm text-gray-600")
            for token in tokens:
                with ui.row().classes("items-center gap-4").mark(f"token-{token.id}"):
                    ui.label(f"{token.prefix}…").classes("font-mono")
                    ui.label(token.name)
                    ui.badge(t(f"role.{token.role}"), color="indigo")
                    ui.label(f"{token.created_at:%Y-%m-%d}").classes("text-sm text-gray-600")
                    used = token.last_used_at
                    when = t("tokens.last_used", when=f"{used:%Y-%m-%d %H:%M}") if used else t("tokens.never_used")
                    ui.label(when).classes("text-sm text-gray-600").mark(f"token-used-{token.id}")
                    if token.revoked_at:
                        ui.badge(t("tokens.revoked"), color="grey")
                    else:
                        ui.button(t("tokens.revoke"), on_click=lambda k=token.id: self.revoke(k)).props(
                            "flat dense color=negative"
                        ).mark(f"token-revoke-{token.id}")

    @guarded(ADMIN)
    def create(self) -> None:
        actor = access.ensure(ADMIN).email
        try:
            info, raw = api_key_service.create_token(self.ctx, self.name.value or "", role=self.role.value, actor=actor)
        except ValueError as exc:
            ui.notify(t("tokens.name_required") if str(exc).startswith("name") else str(exc), type="warning")
            return
        self.name.value = ""
        self.new_token.clear()
        with self.new_token:
            ui.label(t("tokens.shown_once", name=info.name)).classes("text-sm font-medium")
            with ui.row().classes("w-full items-center no-wrap gap-2"):
                ui.input(value=raw).props("readonly outlined dense").classes("grow font-mono").mark("token-raw")
                copy_button(raw, t("copysecret.button"), t("copysecret.done")).mark("token-copy")
        self.show_tokens()

    @guarded(ADMIN)
    def revoke(self, token_id: int) -> None:
        with contextlib.suppress(api_key_service.UnknownApiKey):  # already gone: the refreshed list says so
            api_key_service.revoke_token(self.ctx, token_id, actor=access.ensure(ADMIN).email)
        ui.notify(t("tokens.revoked_done"), type="positive")
        self.show_tokens()
