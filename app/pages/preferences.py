"""The hosted preference page (``/preferences/{token}``): public, reached by a signed link.

The person sees each channel with a switch and saves; every change goes through ``consent.set_consent``
with source ``preference_page``. A forged, expired or stale link gets a clear page and changes nothing.
"""

from __future__ import annotations

from nicegui import ui

from app.access.policy import public
from app.audience import consent
from app.core.context import current
from app.core.theme import use_language
from app.engagement import preferences
from app.i18n import t


def _language(contact: dict[str, object] | None) -> str:
    """The contact's language; for a link that names nobody, the browser's."""
    locale = str((contact or {}).get("locale") or "")
    if not locale:
        return use_language()
    return "fr" if locale.lower().startswith("fr") else "en"


@public
def preference_page(token: str) -> None:
    ctx = current()
    contact = preferences.contact_for(ctx, token)
    lang = _language(contact)
    ui.page_title(t("prefs.title", lang))
    with ui.column().classes("w-full items-center p-10"), ui.card().classes("w-96 gap-3"):
        ui.label(t("prefs.title", lang)).classes("text-lg font-medium")
        if contact is None:
            ui.label(t("prefs.invalid", lang)).mark("prefs-invalid")
            return
        ui.label(t("prefs.intro", lang)).classes("text-sm text-gray-600")
        current_consent = dict(contact.get("consent") or {})  # type: ignore[call-overload]
        switches = {}
        for channel in preferences.CHANNELS:
            on = current_consent.get(channel) == "subscribed"
            switches[channel] = ui.switch(t(f"prefs.channel.{channel}", lang), value=on).mark(f"prefs-{channel}")
        saved = ui.label("").classes("text-green-700").mark("prefs-saved")

        def save() -> None:
            contact_id = int(contact["id"])  # type: ignore[call-overload]
            if preferences.contact_for(ctx, token) is None:
                saved.set_text(t("prefs.invalid", lang))
                return
            for channel, switch in switches.items():
                status = "subscribed" if switch.value else "unsubscribed"
                if current_consent.get(channel) != status and (switch.value or channel in current_consent):
                    consent.set_consent(ctx, contact_id, channel, status, "preference_page", "contact")
                    current_consent[channel] = status
            saved.set_text(t("prefs.saved", lang))

        ui.button(t("prefs.save", lang), on_click=save).classes("w-full").mark("prefs-save")


def register() -> None:
    ui.page("/preferences/{token}")(preference_page)
