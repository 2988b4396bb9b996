"""The demo workspace: every template as a journey, ~1,000 sample contacts with events, and a live demo.

``load_demo`` writes journeys, contacts (with the consent the demo journeys need, and its history) and past
events in one transaction with batched inserts; then publishes the journeys in ``LIVE_TEMPLATES``, switches
quiet hours off so the demo moves at any hour (stopping the demo switches them back on), and turns the live
demo on: app/demo/live.py plays simulated traffic and simulated answers from then on.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

from app.access import audit
from app.audience import segment_service
from app.authoring import service as journey_service
from app.core import wakeup
from app.core.context import AppContext
from app.delivery.providers.simulated import DEMO_PREFIX, SETTING_KEY
from app.delivery.workspace import load_policy, save_policy
from app.demo.data import consent_history, contact_row, event_row
from app.i18n import t
from journeys import document
from journeys.errors import ConflictError
from journeys.templates import list_templates
from storage import consent as consent_store
from storage import contacts as contact_store
from storage import contacts_queries as contacts
from storage import enrollments, partitions
from storage import journeys as journey_store
from storage.workspace import put_setting

BATCH = 500
# Published on load: event-triggered journeys that move within a minute, an A/B split and goals.
LIVE_TEMPLATES = (
    "promo_push",
    "abandoned_cart",
    "geo_store_push",
    "flight_delay",
    "fraud_alert",
    "app_onboarding",
    "birthday_offer",
)


def promo_segment(lang: str) -> str:
    """The promo's audience, a display name in the loading user's language. Segments are looked up by name, so
    the saved segment and the promo's schedule both take it from here."""
    return t("demo.segment.push_subscribers", lang)


class WorkspaceNotEmpty(ConflictError, RuntimeError):
    pass


@dataclass(frozen=True)
class DemoSummary:
    journeys: int
    contacts: int
    events: int
    published: int = 0


def workspace_is_empty(ctx: AppContext) -> bool:
    with ctx.db.session() as session:
        return not journey_store.list_journeys(session) and contacts.count_contacts(session) == 0


def load_demo(
    ctx: AppContext, *, contact_count: int = 1_000, seed: int = 7, actor: str = "system", lang: str = "en"
) -> DemoSummary:
    """Fill an empty workspace and start the live demo; refuses (WorkspaceNotEmpty) when it has data.

    Journeys, their steps and messages, the promo's segment and who recorded the sample consent are written in
    ``lang`` (the loading user's language); event names, attributes and template keys stay as code reads them.
    """
    rng = random.Random(seed)
    now = ctx.clock.now()
    slugs: dict[str, int] = {}
    with ctx.db.session() as session:
        if journey_store.list_journeys(session) or contacts.count_contacts(session):
            raise WorkspaceNotEmpty("the workspace already has journeys or contacts")
        templates = list_templates()
        for template in templates:
            draft = _demo_draft(template.slug, document.to_dict(template.load(lang)), ctx, lang)
            slugs[template.slug] = journey_store.create_journey(session, draft=draft, now=now).id
        rows = [contact_row(i, rng, now) for i in range(contact_count)]
        for start in range(0, len(rows), BATCH):
            contact_store.insert_contacts(session, rows[start : start + BATCH], now=now)
        ids = contacts.contact_ids(session, external_prefix=DEMO_PREFIX)
        consent_store.append_history(session, consent_history(ids, rows, now, actor=t("demo.consent_actor", lang)))
        events = []
        for contact_id in ids:
            for _ in range(rng.randint(2, 9)):
                at = now - timedelta(days=rng.uniform(0, 30))
                events.append(event_row(contact_id, rng, at))
        for start in range(0, len(events), BATCH * 4):
            contact_store.insert_events(session, events[start : start + BATCH * 4])
        # The sample history happened before the journeys went live: it must not trigger them now.
        conn = session.connection()
        partitions.set_all_positions(conn, enrollments.max_event_id(conn))
    segment_service.save_segment(ctx, name=promo_segment(lang), condition={"kind": "consent", "channel": "push"})
    live = [slugs[slug] for slug in LIVE_TEMPLATES if slug in slugs]
    for journey_id in live:
        journey_service.publish(ctx, journey_id, actor=actor)
    _go_live(ctx, seed=seed, journeys=live, actor=actor)
    wakeup.events_arrived()
    return DemoSummary(journeys=len(templates), contacts=len(ids), events=len(events), published=len(live))


def _demo_draft(slug: str, draft: dict[str, Any], ctx: AppContext, lang: str) -> dict[str, Any]:
    """The promo's one-off send is set to the minute of loading, so the demo shows its A/B split at once."""
    if slug != "promo_push":
        return draft
    zone = "Europe/Paris"
    at = ctx.clock.now().astimezone(ZoneInfo(zone)).replace(tzinfo=None, second=0, microsecond=0)
    for node in draft["nodes"]:
        if node["type"] == "entry.schedule":
            node["config"] |= {"mode": "once", "at": at.isoformat(), "time_zone": zone, "segment": promo_segment(lang)}
    return draft


def _go_live(ctx: AppContext, *, seed: int, journeys: list[int], actor: str) -> None:
    policy = load_policy(ctx)
    quiet_on = policy.quiet_hours.enabled
    if quiet_on:
        policy.quiet_hours.enabled = False
        save_policy(ctx, policy, actor=actor)
    now = ctx.clock.now()
    state = {
        "live": True,
        "seed": seed,
        "journeys": journeys,
        "cursor": int(now.timestamp()),
        "quiet_hours_were_on": quiet_on,
    }
    with ctx.db.session() as session:
        put_setting(session, key=SETTING_KEY, value=state, now=now)
        audit.record(ctx, actor, "demo.load", SETTING_KEY, {"journeys": len(journeys)}, session=session)
