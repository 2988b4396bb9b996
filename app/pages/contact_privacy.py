"""A contact's privacy page (``/contacts/{id}/privacy``): consent history, JSON export and erasure.

The export downloads from ``/contacts/{id}/export`` (marketer, audited). Erasure asks for confirmation in a
dialog and is checked again on the server when confirmed.
"""

from __future__ import annotations

import contextlib
import json

from fastapi import Depends, HTTPException, Request
from fastapi.responses import Response
from nicegui import app as nicegui_app
from nicegui import ui

from app.access import policy as access
from app.access.guard import guarded
from app.access.policy import MARKETER, Principal, api_access, requires
from app.audience import consent
from app.core.context import current
from app.core.theme import frame
from app.engagement import preferences
from app.i18n import t
from app.privacy import gdpr
from storage import gdpr as store


def _exists(contact_id: int) -> bool:
    with current().db.session() as session:
        return store.contact_row(session, contact_id) is not None


def privacy_page(contact_id: int) -> None:
    ctx = current()
    with frame("gdpr.consent_history"):
        ui.link(t("contacts.back"), f"/contacts/{contact_id}").classes("text-sm")
        if not _exists(contact_id):
            ui.label(t("contacts.not_found", id=contact_id)).classes("text-lg").mark("contact-missing")
            return
        _consent_editor(contact_id)
        history = consent.history(ctx, contact_id)
        with ui.card().classes("w-full gap-2").props("flat bordered").mark("consent-history"):
            ui.label(t("gdpr.consent_history")).classes("text-lg font-semibold")
            if not history:
                ui.label(t("gdpr.no_history")).classes("text-gray-600")
            for row in reversed(history):
                line = f"{row['at']:%Y-%m-%d %H:%M} · {row['channel']} → {row['status']} · {row['source']}"
                ui.label(f"{line} · {row['actor']}").classes("text-sm")
        with ui.row().classes("gap-2"):
            ui.button(t("gdpr.export"), icon="download").props("outline").mark("gdpr-export").on_click(
                lambda: ui.navigate.to(f"/contacts/{contact_id}/export")
            )
            ui.button(t("gdpr.erase"), icon="delete_forever", color="negative").mark("gdpr-erase").on_click(
                lambda: _confirm_erase(contact_id)
            )


def _consent_editor(contact_id: int) -> None:
    """Marketers change consent on a person's behalf (a phone call, a letter); recorded with source "ui"."""
    states = consent.current(current(), contact_id)
    with ui.card().classes("w-full gap-2").props("flat bordered").mark("consent-editor"):
        ui.label(t("contacts.consent")).classes("text-lg font-semibold")
        switches = {
            channel: ui.switch(t(f"prefs.channel.{channel}"), value=states.get(channel) == "subscribed").mark(
                f"consent-switch-{channel}"
            )
            for channel in preferences.CHANNELS
        }

        @guarded(MARKETER)
        def save() -> None:
            principal = access.ensure(MARKETER)
            for channel, switch in switches.items():
                status = "subscribed" if switch.value else "unsubscribed"
                if states.get(channel) != status and (switch.value or channel in states):
                    consent.set_consent(current(), contact_id, channel, status, "ui", principal.email)
            ui.navigate.reload()

        ui.button(t("prefs.save"), on_click=save).props("outline").mark("consent-save")


def _confirm_erase(contact_id: int) -> None:
    with ui.dialog() as dialog, ui.card().classes("gap-3"):
        ui.label(t("gdpr.erase_title")).classes("text-lg font-semibold")
        ui.label(t("gdpr.erase_body"))

        @guarded(MARKETER)
        def erase() -> None:
            principal = access.ensure(MARKETER)
            with contextlib.suppress(gdpr.UnknownContact):
                gdpr.erase_contact(current(), contact_id, actor=principal.email)
            dialog.close()
            ui.notify(t("gdpr.erased"))
            ui.navigate.to("/contacts")

        with ui.row().classes("justify-end gap-2"):
            ui.button(t("gdpr.cancel"), on_click=dialog.close).props("flat")
            ui.button(t("gdpr.erase_confirm"), on_click=erase, color="negative").mark("gdpr-erase-confirm")
    dialog.open()


def export_download(contact_id: int, request: Request, who: Principal = Depends(api_access(MARKETER))) -> Response:
    try:
        data = gdpr.export_contact(current(), contact_id, actor=who.email)
    except gdpr.UnknownContact:
        raise HTTPException(404, detail=f"contact_id: no contact {contact_id}") from None
    headers = {"Content-Disposition": f'attachment; filename="contact-{contact_id}.json"'}
    body = json.dumps(data, ensure_ascii=False, indent=2, default=str)
    return Response(body, media_type="application/json", headers=headers)


def register() -> None:
    ui.page("/contacts/{contact_id}/privacy")(requires(MARKETER)(privacy_page))
    nicegui_app.add_api_route("/contacts/{contact_id}/export", export_download, methods=["GET"])
