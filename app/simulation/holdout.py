"""A seeded holdout experiment through the real engine: people sign up, a journey emails them (except its
holdout), and each person buys with a known chance, higher for those the engine actually messaged.

The simulation sets the truth (the extra chance to buy and the mean order value), so the uplift the analytics
report can be checked against it: the expected incremental revenue is lift × mean order × contacts treated.
"""

from __future__ import annotations

import json
import random
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from app.analytics import roi
from app.authoring import service as journey_service
from app.core.context import AppContext
from app.engine.engine import Engine
from storage import contacts as contact_store
from storage.revenue_queries import messaged_contacts

CHUNK = 5_000
GOAL_EVENT = "Order Completed"


@dataclass(frozen=True)
class Truth:
    base_rate: float = 0.05  # chance to buy anyway
    lift: float = 0.04  # extra chance for someone who got the email
    mean_order: float = 60.0  # order values are exponential with this mean


@dataclass(frozen=True)
class Outcome:
    contacts: int
    treated: int
    held_out: int
    true_uplift: float  # expected incremental revenue over the treated contacts
    estimate: float
    interval: tuple[float, float]
    true_rate_uplift: float
    rate_interval: tuple[float, float]

    @property
    def covers(self) -> bool:
        return self.interval[0] <= self.true_uplift <= self.interval[1]

    @property
    def rate_covers(self) -> bool:
        return self.rate_interval[0] <= self.true_rate_uplift <= self.rate_interval[1]


def journey_doc(holdout_percent: int) -> dict[str, Any]:
    return {
        "schema_version": 1,
        "name": "Welcome offer (holdout simulation)",
        "settings": {"holdout_percent": holdout_percent},
        "goal": {"event": GOAL_EVENT, "window": {"amount": 7, "unit": "days"}, "exit_on_goal": False},
        "nodes": [
            {"id": "entry", "type": "entry.event", "config": {"event": "signed_up"}},
            {"id": "offer", "type": "message.email", "config": {"subject": "Welcome", "body": "<p>-10%</p>"}},
            {"id": "done", "type": "exit", "config": {}},
        ],
        "edges": [{"source": "entry", "target": "offer"}, {"source": "offer", "target": "done"}],
    }


def _people(ctx: AppContext, count: int, seed: int) -> list[int]:
    now, ids = ctx.clock.now(), []
    consent = {"email": "subscribed"}
    for start in range(0, count, CHUNK):
        rows = [
            {"external_id": f"sim-{seed}-{i}", "email": f"sim{seed}.{i}@example.com", "consent": consent}
            for i in range(start, min(start + CHUNK, count))
        ]
        with ctx.db.session() as session:
            ids += contact_store.insert_contacts(session, rows, now=now)
            session.commit()
    return ids


def _track(ctx: AppContext, events: list[tuple[int, str, dict[str, Any]]], tag: str) -> None:
    now = ctx.clock.now()
    for start in range(0, len(events), CHUNK):
        rows = [
            {
                "contact_id": c,
                "name": n,
                "properties": p,
                "timestamp": now,
                "received_at": now,
                "message_id": f"{tag}-{c}",
            }
            for c, n, p in events[start : start + CHUNK]
        ]
        with ctx.db.session() as session:
            contact_store.insert_events(session, rows)
            session.commit()


def simulate(ctx: AppContext, *, contacts: int, holdout_percent: int, seed: int, truth: Truth = Truth()) -> Outcome:
    """Run the experiment on ``ctx`` (a fresh database) and compare the reported uplift with the truth."""
    journey_id = journey_service.import_journey(ctx, json.dumps(journey_doc(holdout_percent)))
    journey_service.publish(ctx, journey_id)
    people = _people(ctx, contacts, seed)
    _track(ctx, [(c, "signed_up", {}) for c in people], f"signup-{seed}")
    engine = Engine(ctx)
    engine.run(max_batches=10**9)
    with ctx.db.engine.connect() as conn:
        messaged = messaged_contacts(conn, journey_id)
    rng = random.Random(seed)
    orders = []
    for contact in people:
        chance = truth.base_rate + (truth.lift if contact in messaged else 0.0)
        if rng.random() < chance:
            orders.append((contact, GOAL_EVENT, {"revenue": round(rng.expovariate(1 / truth.mean_order), 2)}))
    ctx.clock.advance(timedelta(hours=2))  # type: ignore[attr-defined]
    _track(ctx, orders, f"order-{seed}")
    engine.run(max_batches=10**9)
    report = roi.journey_roi(ctx, journey_id)
    found = report.uplift
    if found is None or found.incremental is None or found.rate is None:
        raise RuntimeError("nobody was held out: the simulation needs a holdout share and at least 2 per group")
    treated = found.treated.entrants
    return Outcome(
        contacts=contacts,
        treated=treated,
        held_out=found.held.entrants,
        true_uplift=truth.lift * truth.mean_order * treated,
        estimate=found.incremental.estimate,
        interval=(found.incremental.low, found.incremental.high),
        true_rate_uplift=truth.lift,
        rate_interval=(found.rate.low, found.rate.high),
    )
