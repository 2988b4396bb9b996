"""Settings → Consent (admins): the lawful basis per channel, explained in plain words, audited on save."""

from __future__ import annotations

from nicegui import ui
from pydantic import ValidationError

from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.delivery.workspace import load_consent_policy, save_consent_policy
from app.i18n import t
from app.pages.settings_webhooks import admin_email
from journeys.policy import MESSAGE_BASES, PUSH_BASES, ConsentPolicy

BASES = {"push": PUSH_BASES, "email": MESSAGE_BASES, "sms": MESSAGE_BASES}


class ConsentSection:
    """One choice per channel with the meaning of each option under it; Save checks the role again."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.values: dict[str, str] = load_consent_policy(ctx).model_dump()

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("consent-policy"):
            ui.label(t("consent.title")).classes("text-lg font-semibold")
            ui.label(t("consent.hint")).classes("text-sm text-gray-600")
            for channel, bases in BASES.items():
                self.channel(channel, bases)
            with ui.column().classes("gap-0"):
                ui.label(t("consent.channel.in_app")).classes("font-medium")
                ui.label(t("consent.in_app.help")).classes("text-sm text-gray-600")
            ui.button(t("common.save"), icon="save", on_click=self.save).mark("consent-save")

    def channel(self, channel: str, bases: tuple[str, ...]) -> None:
        with ui.column().classes("gap-1"):
            ui.label(t(f"consent.channel.{channel}")).classes("font-medium")
            options = {basis: t(f"consent.basis.{basis}") for basis in bases}
            ui.radio(options).props("inline").bind_value(self.values, channel).mark(f"consent-{channel}")
            for basis in bases:
                ui.label(t(f"consent.basis.{basis}.help")).classes("text-sm text-gray-600 pl-2").mark(
                    f"consent-{channel}-{basis}-help"
                )

    @guarded(ADMIN)
    def save(self) -> None:
        actor = admin_email()
        if actor is None:
            return
        try:
            policy = ConsentPolicy.model_validate(self.values)
        except ValidationError as exc:  # the radios only offer valid choices; anything else is refused here
            ui.notify(str(exc.errors()[0]["loc"][0]), type="negative")
            return
        changes = save_consent_policy(self.ctx, policy, actor=actor)
        ui.notify(t("consent.saved") if changes else t("consent.unchanged"), type="positive")
