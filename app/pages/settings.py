"""Settings page (``/settings``): the workspace delivery policy, plus Providers and API keys sections."""

from __future__ import annotations

from zoneinfo import available_timezones

from nicegui import ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import ADMIN, requires
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.delivery.settings_form import (
    CAP_CHANNELS,
    QUIET_CHANNELS,
    UNITS,
    PolicyFormError,
    PolicyValues,
    policy_from_values,
    values_from_policy,
)
from app.delivery.workspace import load_policy, save_policy
from app.i18n import t
from app.pages import settings_crm
from app.pages.settings_consent import ConsentSection
from app.pages.settings_integrations import IntegrationsSection
from app.pages.settings_revenue import RevenueSection
from app.pages.settings_sections import ApiKeysSection, ProvidersSection
from app.pages.settings_tokens import TokensSection
from app.pages.settings_webhooks import WebhooksSection


class DeliveryPolicyForm:
    """Form fields bound to a PolicyValues; Save validates everything and stores it, or says what is wrong."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.values: PolicyValues = values_from_policy(load_policy(ctx))

    def build(self) -> None:
        with ui.card().classes("w-full gap-4").props("flat bordered").mark("delivery-policy"):
            ui.label(t("settings.delivery")).classes("text-lg font-semibold")
            ui.label(t("settings.delivery.hint")).classes("text-sm text-gray-600")
            self.quiet_hours()
            ui.separator()
            self.caps()
            ui.separator()
            self.rates_and_zone()
            self.error = ui.label("").classes("text-negative").mark("settings-error")
            ui.button(t("common.save"), icon="save", on_click=self.save).mark("save-policy")

    def quiet_hours(self) -> None:
        v = self.values
        ui.label(t("settings.quiet_hours")).classes("font-medium")
        ui.switch(t("settings.quiet.enabled")).bind_value(v, "quiet_enabled").mark("quiet-enabled")
        with ui.row().classes("items-end gap-4"):
            ui.input(t("settings.quiet.start")).bind_value(v, "quiet_start").props("mask=##:## fill-mask").mark(
                "quiet-start"
            )
            ui.input(t("settings.quiet.end")).bind_value(v, "quiet_end").props("mask=##:## fill-mask").mark("quiet-end")
            ui.select(
                {"defer": t("settings.quiet.defer"), "drop": t("settings.quiet.drop")},
                label=t("settings.quiet.action"),
            ).bind_value(v, "quiet_action").classes("w-72").mark("quiet-action")
        ui.select(
            {c: t(f"channel.{c}") for c in QUIET_CHANNELS}, label=t("settings.quiet.channels"), multiple=True
        ).bind_value(v, "quiet_channels").props("use-chips").classes("w-96").mark("quiet-channels")

    def caps(self) -> None:
        ui.label(t("settings.caps")).classes("font-medium")
        ui.label(t("settings.caps.hint")).classes("text-sm text-gray-600")
        units = {u: t(f"settings.unit.{u}") for u in UNITS}
        for channel in CAP_CHANNELS:
            cap = self.values.caps[channel]
            with ui.row().classes("items-end gap-4"):
                ui.label(t(f"channel.{channel}")).classes("w-24 pb-2")
                ui.number(t("settings.caps.max"), min=1, step=1, format="%d").bind_value(cap, "max_messages").mark(
                    f"cap-max-{channel}"
                )
                ui.number(t("settings.caps.per_amount"), min=1, step=1, format="%d").bind_value(cap, "per_amount").mark(
                    f"cap-per-{channel}"
                )
                ui.select(units, label=t("settings.caps.per_unit")).bind_value(cap, "per_unit").classes("w-32")

    def rates_and_zone(self) -> None:
        ui.label(t("settings.rates")).classes("font-medium")
        with ui.row().classes("gap-4"):
            for provider in sorted(self.values.rate_limits):
                ui.number(provider, min=1, step=1, format="%d").bind_value(self.values.rate_limits, provider).mark(
                    f"rate-{provider}"
                )
        ui.select(sorted(available_timezones()), label=t("settings.time_zone"), with_input=True).bind_value(
            self.values, "time_zone"
        ).classes("w-96").mark("time-zone")

    @guarded(ADMIN)
    def save(self) -> None:
        use_language()
        try:
            actor = access.ensure(ADMIN).email
            policy = policy_from_values(self.values)
        except PolicyFormError as exc:
            self.error.text = t("settings.invalid", problem=str(exc))
            ui.notify(self.error.text, type="negative")
            return
        except PermissionError:
            ui.notify(t("denied.title"), type="negative")
            return
        save_policy(self.ctx, policy, actor=actor)
        self.error.text = ""
        ui.notify(t("settings.saved"), type="positive")


def settings_page() -> None:
    ctx = current()
    with frame("settings.title"):
        DeliveryPolicyForm(ctx).build()
        ConsentSection(ctx).build()
        RevenueSection(ctx).build()
        ProvidersSection(ctx).build()
        WebhooksSection(ctx).build()
        IntegrationsSection(ctx).build()
        settings_crm.build_all(ctx)
        ApiKeysSection(ctx).build()
        TokensSection(ctx).build()


def register() -> None:
    ui.page("/settings")(requires(ADMIN)(settings_page))
