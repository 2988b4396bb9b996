"""The demo workspace: every template as a journey, ~1,000 sample contacts with events, and a live trickle.

``load_demo`` writes everything in one transaction with batched inserts. ``DemoTrickle`` is the long-lived
service that keeps inserting a few events every few seconds (a NiceGUI app timer) and wakes the engine; its
clock and random source are injected so tests call ``tick()`` directly instead of waiting.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

from app import wakeup
from app.context import AppContext, current
from app.demo_data import contact_row, event_row
from journeys import document
from journeys.clock import Clock
from journeys.templates import list_templates
from storage import contacts_queries as contacts
from storage import journeys as journey_store
from storage.workspace import get_setting, put_setting

DEMO_PREFIX = "demo-"
SETTING_KEY = "demo"
BATCH = 500
TRICKLE_SECONDS = 4.0


class WorkspaceNotEmpty(RuntimeError):
    pass


@dataclass(frozen=True)
class DemoSummary:
    journeys: int
    contacts: int
    events: int


def workspace_is_empty(ctx: AppContext) -> bool:
    with ctx.db.session() as session:
        return not journey_store.list_journeys(session) and contacts.count_contacts(session) == 0


def load_demo(ctx: AppContext, *, contact_count: int = 1_000, seed: int = 7) -> DemoSummary:
    """Fill an empty workspace; refuses (WorkspaceNotEmpty) when journeys or contacts already exist."""
    rng = random.Random(seed)
    now = ctx.clock.now()
    with ctx.db.session() as session:
        if journey_store.list_journeys(session) or contacts.count_contacts(session):
            raise WorkspaceNotEmpty("the workspace already has journeys or contacts")
        templates = list_templates()
        for template in templates:
            journey_store.create_journey(session, draft=document.to_dict(template.load()), now=now)
        rows = [contact_row(i, rng, now) for i in range(contact_count)]
        for start in range(0, len(rows), BATCH):
            contacts.insert_contacts(session, rows[start : start + BATCH])
        ids = contacts.contact_ids(session, external_prefix=DEMO_PREFIX)
        events = []
        for contact_id in ids:
            for _ in range(rng.randint(2, 9)):
                at = now - timedelta(days=rng.uniform(0, 30))
                events.append(event_row(contact_id, rng, at))
        for start in range(0, len(events), BATCH * 4):
            contacts.insert_events(session, events[start : start + BATCH * 4])
        put_setting(session, key=SETTING_KEY, value={"trickle": True}, now=now)
    wakeup.events_arrived()
    return DemoSummary(journeys=len(templates), contacts=len(ids), events=len(events))


class DemoTrickle:
    """Inserts a few simulated events for random demo contacts on each tick."""

    def __init__(self, *, clock: Clock | None = None, rng: random.Random | None = None, per_tick: int = 3) -> None:
        self.clock = clock
        self.rng = rng or random.Random()
        self.per_tick = per_tick
        self._timer: object | None = None
        self._ids: list[int] = []

    def tick(self, ctx: AppContext | None = None) -> int:
        """Insert up to ``per_tick`` events now; returns how many were written."""
        ctx = ctx or current()
        now = (self.clock or ctx.clock).now()
        with ctx.db.session() as session:
            if not self._ids:
                self._ids = contacts.contact_ids(session, external_prefix=DEMO_PREFIX)
            if not self._ids:
                return 0
            picked = [self.rng.choice(self._ids) for _ in range(self.rng.randint(1, self.per_tick))]
            contacts.insert_events(session, [event_row(contact_id, self.rng, now) for contact_id in picked])
        wakeup.events_arrived()
        return len(picked)

    @property
    def running(self) -> bool:
        return self._timer is not None

    def start(self, interval: float = TRICKLE_SECONDS) -> None:
        if self._timer is None:
            from nicegui import app as nicegui_app

            self._timer = nicegui_app.timer(interval, self._safe_tick)

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()  # type: ignore[attr-defined]
            self._timer = None
        self._ids = []

    def _safe_tick(self) -> None:
        try:
            self.tick()
        except Exception:  # the demo must never take the app down; the next tick retries
            import logging

            logging.getLogger(__name__).exception("demo trickle tick failed")


trickle = DemoTrickle()


def resume_trickle() -> None:
    """Keep the demo alive if it was loaded before a restart (runs once, just after startup)."""
    try:
        ctx = current()
    except RuntimeError:  # shutting down already
        return
    with ctx.db.session() as session:
        state = get_setting(session, key=SETTING_KEY) or {}
    if state.get("trickle"):
        trickle.start()


def install() -> None:
    """Hook the trickle into the app's lifecycle (called once when pages are registered)."""
    from nicegui import app as nicegui_app

    # A one-shot timer, so the check runs after every startup handler (the database is open by then).
    nicegui_app.on_startup(lambda: nicegui_app.timer(0.5, resume_trickle, once=True))
    nicegui_app.on_shutdown(trickle.stop)
