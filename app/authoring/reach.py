"""The skip estimate: for a journey document, its likely audience and how many of it each message channel would
skip, and why (opted out, no consent, no address or push token), under the workspace's consent policy.

Likely audience: a segment entry's members; an event entry's contacts who sent that event in the last 30 days,
or every contact when nobody did yet; any other entry (API, date, schedule) every contact. Several entries:
their union. Shown in the builder and in the publish review, so the first SMS that skips everyone is seen
before it happens.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from app.core.context import AppContext
from app.delivery.workspace import load_consent_policy
from app.engine.service import CHANNELS
from journeys.document import JourneyDocument
from journeys.policy import ConsentPolicy
from storage import reach as store
from storage.segments import UnknownSegment

EVENT_WINDOW = timedelta(days=30)
DOCS_LINK = "/help#consent"


@dataclass(frozen=True)
class ChannelReach:
    channel: str
    steps: list[str]  # the names of the message steps on this channel
    audience: int
    unsubscribed: int
    no_consent: int
    no_address: int

    @property
    def skipped(self) -> int:
        return self.unsubscribed + self.no_consent + self.no_address


@dataclass(frozen=True)
class Estimate:
    audience: int
    source: str  # "segment" | "event" | "everyone": how the audience was guessed
    channels: list[ChannelReach] = field(default_factory=list)


def basis(policy: ConsentPolicy, channel: str) -> str:
    """The lawful basis the engine applies to ``channel`` (in-app needs none beyond not having opted out)."""
    return str(getattr(policy, channel, "none"))


def estimate(ctx: AppContext, doc: JourneyDocument) -> Estimate:
    policy = load_consent_policy(ctx)
    now = ctx.clock.now()
    with ctx.db.session() as session:
        audience, source = _audience(session, doc, now)
        total = store.count(session, audience)
        channels = []
        for channel, steps in _message_channels(doc).items():
            found = store.reach(session, audience, channel=channel, basis=basis(policy, channel))
            channels.append(ChannelReach(channel, steps, total, found.unsubscribed, found.no_consent, found.no_address))
    return Estimate(total, source, channels)


def _message_channels(doc: JourneyDocument) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for node in doc.nodes:
        if node.type in CHANNELS:
            out.setdefault(CHANNELS[node.type], []).append(node.name or node.id)
    return out


def _audience(session: Any, doc: JourneyDocument, now: Any) -> tuple[Any, str]:
    queries, sources = [], set()
    for node in doc.nodes:
        if node.type == "entry.segment" and node.config.get("segment"):
            try:
                queries.append(store.segment_members(session, segment=str(node.config["segment"]), now=now))
            except UnknownSegment:
                continue  # the builder shows the unknown segment as a problem on the step
            sources.add("segment")
        elif node.type == "entry.event" and node.config.get("event"):
            senders = store.event_senders(event=str(node.config["event"]), since=now - EVENT_WINDOW)
            if store.count(session, senders):
                queries.append(senders)
                sources.add("event")
    if not queries:
        return store.everyone(), "everyone"
    return store.union(queries), "segment" if sources == {"segment"} else "event"
