"""Settings → Revenue (admins): the workspace currency, exchange rates and the workspace control group."""

from __future__ import annotations

from typing import Any

from nicegui import ui
from pydantic import ValidationError

from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.delivery.workspace import load_revenue_policy, save_revenue_policy
from app.i18n import t
from app.pages.settings_webhooks import admin_email
from journeys.revenue import MAX_SHARE, RevenuePolicy

FIELDS = ("currency", "rates", "control_group_percent")


def policy_from_form(currency: Any, rates: list[dict[str, Any]], control: Any) -> RevenuePolicy:
    """The policy the form describes; raises ValidationError (bad values) or ValueError (a code twice)."""
    table: dict[str, Any] = {}
    for row in rates:
        code = str(row.get("code") or "").strip().upper()
        if not code:
            continue
        if code in table:
            raise ValueError(f"{code} is listed twice")
        table[code] = row.get("rate")
    percent = 0 if control in (None, "") else control
    return RevenuePolicy.model_validate(
        {"currency": str(currency or "").strip().upper(), "rates": table, "control_group_percent": percent}
    )


def problem_text(exc: Exception) -> str:
    """ "field: problem" in the current language for the first thing wrong."""
    if isinstance(exc, ValidationError):
        error = exc.errors()[0]
        name = str(error["loc"][0]) if error["loc"] else "rates"
        field = t(f"roi.field.{name}") if name in FIELDS else name
        return t("roi.settings.invalid", field=field, problem=error["msg"])
    return t("roi.settings.invalid", field=t("roi.field.rates"), problem=str(exc))


class RevenueSection:
    """Currency, a list of rates (add/remove rows) and the control group share; Save checks the role again."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        policy = load_revenue_policy(ctx)
        self.values: dict[str, Any] = {"currency": policy.currency, "control": policy.control_group_percent}
        self.rates: list[dict[str, Any]] = [{"code": c, "rate": r} for c, r in sorted(policy.rates.items())]

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("revenue-policy"):
            ui.label(t("roi.settings.title")).classes("text-lg font-semibold")
            ui.label(t("roi.settings.hint")).classes("text-sm text-gray-600")
            ui.input(t("roi.settings.currency")).bind_value(self.values, "currency").props("maxlength=3").classes(
                "w-48"
            ).mark("revenue-currency")
            ui.label(t("roi.settings.rates")).classes("font-medium")
            self.rate_box = ui.column().classes("gap-1").mark("revenue-rates")
            self._rate_rows()
            ui.button(t("roi.settings.add_rate"), icon="add", on_click=self.add_rate).props("flat dense no-caps").mark(
                "revenue-add-rate"
            )
            ui.number(t("roi.settings.control_group"), min=0, max=MAX_SHARE, step=1, format="%d").bind_value(
                self.values, "control"
            ).classes("w-72").mark("revenue-control-group")
            ui.label(t("roi.settings.control_group.hint")).classes("text-sm text-gray-600")
            self.error = ui.label("").classes("text-negative").mark("revenue-error")
            ui.button(t("common.save"), icon="save", on_click=self.save).mark("revenue-save")

    def _rate_rows(self) -> None:
        self.rate_box.clear()
        with self.rate_box:
            for i, row in enumerate(self.rates):
                with ui.row().classes("items-end gap-3"):
                    ui.input(t("roi.settings.rate_code")).bind_value(row, "code").props("maxlength=3").mark(
                        f"revenue-rate-code-{i}"
                    )
                    ui.number(t("roi.settings.rate_value"), min=0).bind_value(row, "rate").mark(
                        f"revenue-rate-value-{i}"
                    )
                    ui.button(t("roi.settings.remove_rate"), on_click=lambda _e, n=i: self.remove_rate(n)).props(
                        "flat dense no-caps"
                    ).mark(f"revenue-rate-remove-{i}")

    @guarded(ADMIN)
    def add_rate(self) -> None:
        self.rates.append({"code": "", "rate": None})
        self._rate_rows()

    @guarded(ADMIN)
    def remove_rate(self, index: int) -> None:
        if 0 <= index < len(self.rates):
            del self.rates[index]
        self._rate_rows()

    @guarded(ADMIN)
    def save(self) -> None:
        actor = admin_email()
        if actor is None:
            return
        try:
            policy = policy_from_form(self.values["currency"], self.rates, self.values["control"])
        except (ValidationError, ValueError) as exc:
            self.error.text = problem_text(exc)
            ui.notify(self.error.text, type="negative")
            return
        save_revenue_policy(self.ctx, policy, actor=actor)
        self.error.text = ""
        ui.notify(t("roi.settings.saved"), type="positive")
