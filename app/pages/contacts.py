"""Contacts (``/contacts``): search and paginated list; profile (``/contacts/{id}``): attributes, consent,
event timeline and journeys."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from nicegui import ui

from app.access.guard import guarded
from app.access.policy import MARKETER, requires
from app.core.context import AppContext, current
from app.core.theme import frame, use_language
from app.delivery.workspace import load_consent_policy
from app.i18n import t
from app.pages.builder.reach_view import contact_hints
from storage import contacts_queries as queries

PAGE_SIZE = 25
EVENTS_PAGE_SIZE = 20
CONSENT_CHANNELS = ("push", "sms", "email", "in_app")
CONSENT_COLOURS = {"subscribed": "positive", "unsubscribed": "negative"}


def _when(moment: datetime | None) -> str:
    return moment.strftime("%Y-%m-%d %H:%M") if moment else "—"


def _pager(page: queries.Page[Any], go: Any, marker: str) -> None:
    with ui.row().classes("w-full items-center justify-between").mark(marker):
        ui.label(t("common.page_of", page=page.page, pages=page.pages, total=page.total)).classes(
            "text-sm text-gray-600"
        )
        with ui.row().classes("gap-2"):
            ui.button(t("common.previous"), icon="chevron_left", on_click=lambda: go(page.page - 1)).props(
                "flat dense"
            ).set_enabled(page.page > 1)
            ui.button(t("common.next"), icon="chevron_right", on_click=lambda: go(page.page + 1)).props(
                "flat dense"
            ).mark(f"{marker}-next").set_enabled(page.page < page.pages)


class ContactsView:
    """One user's search box, result page and pager."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.query = ""
        self.page = 1

    def build(self) -> None:
        ui.input(placeholder=t("contacts.search"), on_change=self.search).props(
            "outlined dense clearable debounce=300"
        ).classes("w-full").mark("contact-search")
        self.results()

    @guarded(MARKETER)
    def search(self, event: Any) -> None:
        self.query, self.page = event.value or "", 1
        self.results.refresh()

    @guarded(MARKETER)
    def go(self, page: int) -> None:
        self.page = page
        self.results.refresh()

    @ui.refreshable_method
    def results(self) -> None:
        use_language()
        with self.ctx.db.session() as session:
            page = queries.search_contacts(session, query=self.query, page=self.page, page_size=PAGE_SIZE)
        if not page.items:
            self.empty()
            return
        with ui.column().classes("w-full gap-0").mark("contact-list"):
            with ui.row().classes("w-full text-xs uppercase text-gray-500 px-2 no-wrap"):
                for key, width in (("name", "w-56"), ("email", "w-72"), ("phone", "w-40"), ("external_id", "w-32")):
                    ui.label(t(f"contacts.col.{key}")).classes(width)
                ui.label(t("contacts.col.last_seen")).classes("grow")
            for row in page.items:
                self.contact_row(row)
        _pager(page, self.go, "contacts-pager")

    def contact_row(self, row: queries.ContactRow) -> None:
        name = f"{row.first_name} {row.last_name}".strip() or row.email or row.external_id or f"#{row.id}"
        line = ui.row().classes("w-full items-center px-2 py-1 border-b border-gray-200 no-wrap")
        with line.mark(f"contact-{row.id}"):
            ui.link(name, f"/contacts/{row.id}").classes("w-56 truncate font-medium")
            ui.label(row.email or "—").classes("w-72 truncate text-sm")
            ui.label(row.phone or "—").classes("w-40 text-sm")
            ui.label(row.external_id or "—").classes("w-32 truncate text-sm text-gray-600")
            ui.label(_when(row.last_seen_at)).classes("grow text-sm text-gray-600")

    def empty(self) -> None:
        with ui.card().classes("w-full items-center p-8 gap-2 text-center").mark("contacts-empty"):
            if self.query:
                ui.label(t("contacts.no_match", query=self.query)).classes("text-lg")
                return
            ui.icon("group", size="3rem").classes("text-indigo-300")
            ui.label(t("contacts.empty.title")).classes("text-lg font-medium")
            ui.label(t("contacts.empty.hint")).classes("text-gray-600 max-w-xl")
            ui.link(t("nav.journeys"), "/")


class ProfileView:
    def __init__(self, ctx: AppContext, contact: Any) -> None:
        self.ctx = ctx
        self.contact = contact
        self.events_page = 1

    def build(self) -> None:
        c = self.contact
        ui.link(t("contacts.back"), "/contacts").classes("text-sm")
        ui.link(t("gdpr.privacy"), f"/contacts/{c.id}/privacy").classes("text-sm").mark("contact-privacy")
        with ui.row().classes("w-full gap-4 items-stretch"):
            self.identity(c)
            self.consent(c)
        self.attributes(c)
        self.journeys()
        with ui.card().classes("w-full gap-2").props("flat bordered"):
            ui.label(t("contacts.timeline")).classes("text-lg font-semibold")
            self.timeline()

    def identity(self, c: Any) -> None:
        with ui.card().classes("grow gap-1").props("flat bordered").mark("contact-identity"):
            name = f"{c.attributes.get('first_name', '')} {c.attributes.get('last_name', '')}".strip()
            ui.label(name or c.email or c.external_id or f"#{c.id}").classes("text-xl font-semibold")
            location = f"{c.lat:.4f}, {c.lon:.4f}" if c.lat is not None and c.lon is not None else None
            for key, value in (
                ("contacts.col.email", c.email),
                ("contacts.col.phone", c.phone),
                ("contacts.col.external_id", c.external_id),
                ("contacts.time_zone", c.time_zone),
                ("contacts.locale", c.locale),
                ("contacts.location", location),
                ("contacts.first_seen", _when(c.first_seen_at)),
                ("contacts.col.last_seen", _when(c.last_seen_at)),
            ):
                with ui.row().classes("gap-2 text-sm"):
                    ui.label(t(key)).classes("w-40 text-gray-500")
                    ui.label(str(value) if value else "—")

    def consent(self, c: Any) -> None:
        with ui.card().classes("w-72 gap-2").props("flat bordered").mark("contact-consent"):
            ui.label(t("contacts.consent")).classes("text-lg font-semibold")
            for channel in CONSENT_CHANNELS:
                state = str((c.consent or {}).get(channel, "unknown"))
                label = t(f"contacts.consent.{state}") if state in CONSENT_COLOURS else t("contacts.consent.unknown")
                with ui.row().classes("w-full items-center justify-between"):
                    ui.label(t(f"channel.{channel}"))
                    ui.badge(label, color=CONSENT_COLOURS.get(state, "grey")).mark(f"consent-{channel}")
            contact_hints(c, load_consent_policy(self.ctx), CONSENT_CHANNELS)

    def attributes(self, c: Any) -> None:
        with ui.card().classes("w-full gap-1").props("flat bordered").mark("contact-attributes"):
            ui.label(t("contacts.attributes")).classes("text-lg font-semibold")
            if not c.attributes:
                ui.label(t("contacts.no_attributes")).classes("text-gray-500")
            with ui.grid(columns=2).classes("w-full gap-x-6 gap-y-1"):
                for key in sorted(c.attributes):
                    value = c.attributes[key]
                    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
                    with ui.row().classes("gap-2 text-sm no-wrap"):
                        ui.label(key).classes("w-40 text-gray-500 font-mono truncate")
                        ui.label(text).classes("truncate")

    def journeys(self) -> None:
        with self.ctx.db.session() as session:
            enrollments = queries.list_enrollments(session, contact_id=self.contact.id)
        with ui.card().classes("w-full gap-1").props("flat bordered").mark("contact-journeys"):
            ui.label(t("contacts.journeys")).classes("text-lg font-semibold")
            if not enrollments:
                ui.label(t("contacts.no_journeys")).classes("text-gray-500")
            for item in enrollments:
                with ui.row().classes("gap-3 text-sm items-center"):
                    ui.link(item.journey_name, f"/journeys/{item.journey_id}")
                    ui.badge(item.status)
                    ui.label(_when(item.entered_at)).classes("text-gray-500")

    def go(self, page: int) -> None:
        self.events_page = page
        self.timeline.refresh()

    @ui.refreshable_method
    def timeline(self) -> None:
        use_language()
        with self.ctx.db.session() as session:
            page = queries.list_events(
                session, contact_id=self.contact.id, page=self.events_page, page_size=EVENTS_PAGE_SIZE
            )
        if not page.items:
            ui.label(t("contacts.no_events")).classes("text-gray-500").mark("no-events")
            return
        with ui.column().classes("w-full gap-1").mark("event-timeline"):
            for event in page.items:
                with ui.row().classes("w-full gap-3 text-sm no-wrap items-start border-b border-gray-200 py-1"):
                    ui.label(_when(event.timestamp)).classes("w-36 text-gray-500")
                    ui.label(event.name).classes("w-48 font-medium").mark("event-name")
                    props = json.dumps(event.properties, ensure_ascii=False, sort_keys=True)
                    ui.label(props).classes("grow font-mono text-xs text-gray-600 break-all")
        _pager(page, self.go, "events-pager")


def contacts_page() -> None:
    ctx = current()
    with frame("contacts.title"):
        ContactsView(ctx).build()


def contact_profile_page(contact_id: int) -> None:
    ctx = current()
    with ctx.db.session() as session:
        contact = queries.get_contact(session, contact_id=contact_id)
    with frame("contacts.profile"):
        if contact is None:
            ui.label(t("contacts.not_found", id=contact_id)).classes("text-lg").mark("contact-missing")
            ui.link(t("contacts.back"), "/contacts")
            return
        ProfileView(ctx, contact).build()


def register() -> None:
    ui.page("/contacts")(requires(MARKETER)(contacts_page))
    ui.page("/contacts/{contact_id}")(requires(MARKETER)(contact_profile_page))
