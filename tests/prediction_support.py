"""A small seeded history where busier app users order more, written as ingestion writes it, for score tests."""

from __future__ import annotations

import random
from datetime import timedelta

from sqlalchemy import insert

from app.core.context import AppContext
from app.simulation.people import SimulatedAudience
from app.tracking import service as tracking_service
from app.tracking.payloads import Identify, Track
from storage.models import Event
from tests.engine_support import add_contacts

DAYS = 60


def busy_shoppers(ctx: AppContext, contacts: int = 400, *, seed: int = 3) -> list[int]:
    """``contacts`` people over the last 60 days: each opens the app at their own daily rate, and each day orders
    with a chance that grows with their opens of the week before. Returns the contact ids, busiest last."""
    rng = random.Random(seed)
    ids = add_contacts(ctx, contacts)
    now = ctx.clock.now()
    rows = []
    for rank, contact_id in enumerate(ids):
        rate = 0.05 + 1.5 * rank / contacts  # opens per day
        opens: list[int] = []
        for day in range(DAYS):
            at = now - timedelta(days=DAYS - day, hours=rng.random() * 20)
            if rng.random() < min(rate, 0.95):
                opens.append(day)
                rows.append({"contact_id": contact_id, "name": "App Opened", "timestamp": at, "properties": {}})
            recent = sum(1 for d in opens if day - 7 <= d < day)
            if rng.random() < 0.004 + 0.008 * recent:
                order = {"revenue": round(10 + 40 * rng.random(), 2)}
                rows.append({"contact_id": contact_id, "name": "Order Completed", "timestamp": at, "properties": order})
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Event.__table__), [{**row, "received_at": row["timestamp"]} for row in rows])
    return ids


def simulated_people(ctx: AppContext, size: int, *, days: int, seed: int = 7) -> SimulatedAudience:
    """``size`` simulated people (hidden propensity known) and ``days`` of their events up to the clock's now,
    sent through the real ingestion path (app/tracking/service.py) in batches of 500."""
    audience = SimulatedAudience(size, seed)
    now = ctx.clock.now()
    identify = [Identify.model_validate({**call, "timestamp": now.isoformat()}) for call in audience.identify_calls()]
    calls = identify + [Track.model_validate(call) for call in audience.events(now - timedelta(days=days), now)]
    for start in range(0, len(calls), 500):
        tracking_service.ingest(ctx, calls[start : start + 500])
    return audience
