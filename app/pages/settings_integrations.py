"""Settings → Shops (admins): Shopify and WooCommerce webhooks: the shop, the secret (encrypted, shown masked),
the address to paste into the shop, and the last deliveries received with their outcome."""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import Any

from nicegui import ui

from app.access import audit, secrets
from app.access.guard import guarded
from app.access.policy import ADMIN
from app.core.context import AppContext
from app.i18n import t, tn
from app.integrations import config
from app.pages.settings_webhooks import admin_email
from components.copy_button import copy_button

CONTACT_REF = re.compile(r"contact:(\d+)")  # how the audit entry of a data request names its contacts


def _texts(name: str) -> dict[str, str]:
    if name == "shopify":
        return {
            "title": t("integrations.shopify"),
            "shop": t("integrations.shopify.shop"),
            "secret": t("integrations.shopify.secret"),
            "steps": t("integrations.shopify.steps"),
        }
    return {
        "title": t("integrations.woocommerce"),
        "shop": t("integrations.woocommerce.shop"),
        "secret": t("integrations.woocommerce.secret"),
        "steps": t("integrations.woocommerce.steps"),
    }


def outcome(delivery: dict[str, Any]) -> str:
    """The outcome of a delivery in the reader's language (the detail column keeps the shop's answer)."""
    status = delivery["status"]
    if status == 200:
        ignored = str(delivery["reason"]).startswith("ignored")
        return t("integrations.outcome.ignored") if ignored else t("integrations.outcome.stored")
    if status == 401:
        return t("integrations.outcome.unauthorized")
    if status == 409:
        return t("integrations.outcome.replay")
    if status in (400, 413):
        return t("integrations.outcome.invalid")
    return t("integrations.outcome.error")


class ShopSection:
    """One shop's settings and deliveries; every button checks the admin role again on the server."""

    def __init__(self, ctx: AppContext, name: str) -> None:
        self.ctx, self.name = ctx, name

    def build(self) -> None:
        texts = _texts(self.name)
        ui.label(texts["title"]).classes("font-medium")
        ui.label(texts["steps"]).classes("text-sm text-gray-600")
        with ui.row().classes("w-full items-center no-wrap gap-2"):
            address = config.address(self.ctx, self.name)
            box = ui.input(t("integrations.address"), value=address).props("readonly outlined dense")
            box.classes("grow font-mono").mark(f"{self.name}-address")
            copy_button(address, t("copysecret.button"), t("copysecret.done"))
        with ui.row().classes("items-end gap-3 w-full"):
            self.shop = ui.input(texts["shop"], value=config.shop(self.ctx, self.name)).classes("w-80")
            self.shop.mark(f"{self.name}-shop")
            with ui.column().classes("gap-0"):
                self.secret = ui.input(texts["secret"], password=True).classes("w-80").mark(f"{self.name}-secret")
                self.masked = ui.label("").classes("text-xs text-gray-600").mark(f"{self.name}-secret-saved")
            ui.button(t("common.save"), icon="save", on_click=self.save).mark(f"{self.name}-save")
        self.error = ui.label("").classes("text-negative").mark(f"{self.name}-error")
        with ui.row().classes("items-center gap-2"):
            ui.label(t("integrations.deliveries")).classes("text-sm font-medium")
            ui.button(t("integrations.refresh"), icon="refresh", on_click=self.refresh).props("flat dense").mark(
                f"{self.name}-refresh"
            )
        self.listing = ui.column().classes("w-full").mark(f"{self.name}-deliveries")
        self.requests = ui.column().classes("w-full gap-1").mark(f"{self.name}-data-requests")
        self.show()

    def show_requests(self) -> None:
        """Shopify's customer data requests, each with the GDPR export of the contacts it names (one click)."""
        self.requests.clear()
        if self.name != "shopify":
            return
        found = audit.entries(self.ctx, action="shopify.data_request", limit=20)
        with self.requests:
            ui.label(t("integrations.data_requests")).classes("text-sm font-medium")
            if not found:
                ui.label(t("integrations.no_data_requests")).classes("text-sm text-gray-600")
            for entry in found:
                ids = [int(n) for n in CONTACT_REF.findall(str(entry.details.get("contacts", "")))]
                with ui.row().classes("items-center gap-3 text-sm"):
                    ui.label(tn("integrations.data_request", len(ids), at=f"{entry.at:%Y-%m-%d %H:%M} UTC"))
                    for contact_id in ids:
                        label = t("integrations.export_contact", id=contact_id)
                        ui.link(label, f"/contacts/{contact_id}/export").mark(f"data-request-export-{contact_id}")

    def show(self) -> None:
        self.show_requests()
        masked = config.masked_secret(self.ctx, self.name)
        self.masked.text = t("providers.saved_as", masked=masked) if masked else t("providers.not_set")
        self.listing.clear()
        deliveries = config.deliveries(self.ctx, self.name)
        with self.listing:
            if not deliveries:
                ui.label(t("integrations.no_deliveries")).classes("text-sm text-gray-600")
                return
            headings = {
                "at": t("integrations.col.at"),
                "topic": t("integrations.col.topic"),
                "outcome": t("integrations.col.outcome"),
                "detail": t("integrations.col.detail"),
            }
            columns = [{"name": key, "label": label, "field": key, "align": "left"} for key, label in headings.items()]
            rows = [
                {
                    "id": index,
                    "at": f"{datetime.fromtimestamp(d['received_at'], UTC):%Y-%m-%d %H:%M:%S} UTC",
                    "topic": d["topic"],
                    "outcome": f"{outcome(d)} ({d['status']})",
                    "detail": d["reason"],
                }
                for index, d in enumerate(deliveries)
            ]
            table = ui.table(columns=columns, rows=rows, row_key="id").props("flat dense").classes("w-full")
            table.mark(f"{self.name}-deliveries-table")

    @guarded(ADMIN)
    def refresh(self) -> None:
        if admin_email():
            self.show()

    @guarded(ADMIN)
    def save(self) -> None:
        if (actor := admin_email()) is not None:
            self.store(actor)

    def store(self, actor: str) -> None:
        """Save what changed (an empty secret box keeps the stored secret), or say what is wrong."""
        try:
            if (self.shop.value or "").strip() != config.shop(self.ctx, self.name):
                self.shop.value = config.save_shop(self.ctx, self.name, self.shop.value or "", actor=actor)
            if (self.secret.value or "").strip():
                config.save_secret(self.ctx, self.name, self.secret.value, actor=actor)
        except (ValueError, secrets.SecretError) as exc:
            self.error.text = t("integrations.invalid", problem=str(exc))
            ui.notify(self.error.text, type="negative")
            return
        self.secret.value = ""
        self.error.text = ""
        self.show()
        ui.notify(t("integrations.saved"), type="positive")


class IntegrationsSection:
    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx

    def build(self) -> None:
        with ui.card().classes("w-full gap-3").props("flat bordered").mark("integrations-section"):
            ui.label(t("integrations.title")).classes("text-lg font-semibold")
            ui.label(t("integrations.hint")).classes("text-sm text-gray-600")
            if not self.ctx.settings.public_url:
                ui.label(t("integrations.no_public_url")).classes("text-sm text-warning").mark("integrations-no-url")
            for index, name in enumerate(config.INTEGRATIONS):
                if index:
                    ui.separator()
                ShopSection(self.ctx, name).build()
