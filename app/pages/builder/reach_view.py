"""Skip estimates and reachability in plain words: the builder's and publish review's lines per message channel,
and, on a contact's page, what the app must send for a channel the contact cannot receive."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.authoring import reach
from app.authoring.reach import DOCS_LINK, ChannelReach, Estimate
from app.core.context import AppContext
from app.i18n import language, t
from journeys import codec, delivery
from journeys.document import JourneyDocument
from journeys.policy import ConsentPolicy
from journeys.steps.types import ContactView

REASONS = ("no_consent", "no_address", "unsubscribed")


def number(value: int) -> str:
    """1,000 in English, 1 000 (narrow no-break space) in French."""
    text = f"{value:,}"
    return text.replace(",", "\u202f") if language.get() == "fr" else text


def plural(key: str, amount: int, **values: Any) -> str:
    """``key.one`` or ``key.other`` by the plural rule of the page's language (French: 0 and 1 are singular)."""
    one = amount in (0, 1) if language.get() == "fr" else amount == 1
    return t(f"{key}.{'one' if one else 'other'}", **values)


def channel_line(reach: ChannelReach) -> str:
    """``SMS: 412 of 1,000 likely recipients would be skipped: 400 without SMS consent, 12 opted out.``"""
    name = t(f"consent.channel.{reach.channel}")
    if reach.audience == 0:
        return t("consent.reach.nobody", channel=name)
    if reach.skipped == 0:
        return t("consent.reach.all", channel=name, total=number(reach.audience))
    parts = []
    for reason in REASONS:
        count = getattr(reach, reason)
        if count:
            key = (
                f"consent.reason.{reason}.{reach.channel}"
                if reason != "unsubscribed"
                else "consent.reason.unsubscribed"
            )
            parts.append(plural(key, count, n=number(count)))
    total, skipped = number(reach.audience), number(reach.skipped)
    head = plural("consent.reach.head", reach.skipped, channel=name, skipped=skipped, total=total)
    return t("consent.reach.line", head=head, reasons=", ".join(parts))


def audience_line(estimate: Estimate) -> str:
    return plural(f"consent.audience.{estimate.source}", estimate.audience, count=number(estimate.audience))


def show_estimate(estimate: Estimate, *, marker: str) -> None:
    """The audience, then one line per message channel; a link to the consent docs when anything is skipped."""
    with ui.column().classes("w-full gap-1").mark(marker):
        ui.label(audience_line(estimate)).classes("text-sm font-medium").mark(f"{marker}-audience")
        for reach in estimate.channels:
            with ui.row().classes("w-full items-baseline gap-2 no-wrap"):
                icon = "warning" if reach.skipped else "check_circle"
                ui.icon(icon, color="warning" if reach.skipped else "positive").classes("text-base")
                ui.label(channel_line(reach)).classes("text-sm").mark(f"{marker}-{reach.channel}")
            if reach.skipped:
                ui.link(t("consent.reach.how"), DOCS_LINK, new_tab=True).classes("text-sm pl-6")


class ReachBox:
    """The builder's lines: recomputed only when the entry steps or the message steps change, not on every edit."""

    def __init__(self, ctx: AppContext) -> None:
        self.ctx = ctx
        self.key = ""
        self.box = ui.column().classes("w-full gap-1")

    def update(self, doc: JourneyDocument) -> None:
        key = codec.dumps([(n.type, n.name, n.config) for n in doc.nodes if n.type.startswith(("entry.", "message."))])
        if key == self.key:
            return
        self.key = key
        self.box.clear()
        with self.box:
            show_estimate(reach.estimate(self.ctx, doc), marker="builder-reach")


def contact_view(contact: Any) -> ContactView:
    fields = ("id", "external_id", "email", "phone", "push_id")
    return ContactView(**{f: getattr(contact, f) for f in fields}, consent=dict(contact.consent or {}))


def contact_hints(contact: Any, policy: ConsentPolicy, channels: tuple[str, ...]) -> None:
    """Under a contact's consent badges: for each channel it cannot receive, why and what the app must send."""
    person = contact_view(contact)
    for channel in channels:
        problem = delivery.consent_problem(person, channel, policy) or delivery.address_problem(person, channel)
        if problem:
            key = f"consent.fix.{problem}.{channel}" if problem != "unsubscribed" else "consent.fix.unsubscribed"
            ui.label(t(key, channel=t(f"consent.channel.{channel}"))).classes("text-xs text-gray-600").mark(
                f"contact-fix-{channel}"
            )
