"""Skip estimates and reachability in plain words: the builder's and publish review's lines per message channel,
and, on a contact's page, what the app must send for a channel the contact cannot receive."""

from __future__ import annotations

from typing import Any

from nicegui import ui

from app.authoring import reach
from app.authoring.reach import DOCS_LINK, ChannelReach, Estimate
from app.core.context import AppContext
from app.i18n import language, t, tn
from journeys import codec, delivery
from journeys.document import JourneyDocument
from journeys.policy import ConsentPolicy
from journeys.steps.types import ContactView

REASONS = ("no_consent", "no_address", "unsubscribed")
CHANNEL_KEYS = {
    "push": "consent.channel.push",
    "email": "consent.channel.email",
    "sms": "consent.channel.sms",
    "in_app": "consent.channel.in_app",
}
# For each reason a channel misses someone: how many it skips (a plural text) and what the app must send to fix
# it for one contact. An opt-out reads the same on every channel; in-app messages need no consent.
REASON_KEYS = {
    ("no_consent", "push"): ("consent.reason.no_consent.push", "consent.fix.no_consent.push"),
    ("no_consent", "sms"): ("consent.reason.no_consent.sms", "consent.fix.no_consent.sms"),
    ("no_consent", "email"): ("consent.reason.no_consent.email", "consent.fix.no_consent.email"),
    ("no_address", "push"): ("consent.reason.no_address.push", "consent.fix.no_address.push"),
    ("no_address", "in_app"): ("consent.reason.no_address.in_app", "consent.fix.no_address.in_app"),
    ("no_address", "sms"): ("consent.reason.no_address.sms", "consent.fix.no_address.sms"),
    ("no_address", "email"): ("consent.reason.no_address.email", "consent.fix.no_address.email"),
}
AUDIENCE_KEYS = {
    "segment": "consent.audience.segment",
    "event": "consent.audience.event",
    "everyone": "consent.audience.everyone",
}


def number(value: int) -> str:
    """1,000 in English, 1 000 (narrow no-break space) in French."""
    text = f"{value:,}"
    return text.replace(",", "\u202f") if language.get() == "fr" else text


def channel_line(reach: ChannelReach) -> str:
    """``SMS: 412 of 1,000 likely recipients would be skipped: 400 without SMS consent, 12 opted out.``"""
    name = t(CHANNEL_KEYS[reach.channel])
    if reach.audience == 0:
        return t("consent.reach.nobody", channel=name)
    if reach.skipped == 0:
        return t("consent.reach.all", channel=name, total=number(reach.audience))
    parts = []
    for reason in REASONS:
        count = getattr(reach, reason)
        if count:
            key = "consent.reason.unsubscribed" if reason == "unsubscribed" else REASON_KEYS[reason, reach.channel][0]
            parts.append(tn(key, count, n=number(count)))
    total, skipped = number(reach.audience), number(reach.skipped)
    head = tn("consent.reach.head", reach.skipped, channel=name, skipped=skipped, total=total)
    return t("consent.reach.line", head=head, reasons=", ".join(parts))


def audience_line(estimate: Estimate) -> str:
    return tn(AUDIENCE_KEYS[estimate.source], estimate.audience, count=number(estimate.audience))


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
            key = "consent.fix.unsubscribed" if problem == "unsubscribed" else REASON_KEYS[problem, channel][1]
            ui.label(t(key, channel=t(CHANNEL_KEYS[channel]))).classes("text-xs text-gray-600").mark(
                f"contact-fix-{channel}"
            )
