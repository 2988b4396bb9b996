"""Forecast figure: messages per channel predicted before publish against those the engine then really sends.

A workspace is built from the seeded simulated population (app/simulation/population.py): contacts with mixed
time zones and consent, four weeks of their events sent through the real ingestion path. A journey with push,
email and SMS steps (a wait, a wait for the order, quiet hours, an SMS cap) is forecast from its draft for the
next week, then published, and the engine really runs that week: a frozen clock moved step by step, the
population's events ingested through the real path as they happen, the engine and the dispatcher run after
each step, with no provider configured so every message lands in the sandbox outbox and nothing leaves.

    .venv/bin/python bench/intelligence_forecast.py [--seed 7] [--people 600] [--per-minute 2] [--step 600]
        [--population population|people] [--timing-contacts 100000]

Prints a JSON object last: ``forecast_error`` = max over channels of |predicted - actual| / actual (required
<= 0.15), the per-channel numbers, how long the forecast took, and how long it takes on 100,000 contacts
(``forecast_seconds_100k``; ``--timing-contacts 0`` skips it).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from app.authoring import service as journey_service  # noqa: E402
from app.authoring.forecast import forecast_journey  # noqa: E402
from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.delivery.dispatch import Dispatcher  # noqa: E402
from app.engine.engine import Engine  # noqa: E402
from app.simulation.people import SimulatedAudience  # noqa: E402
from app.simulation.population import Behaviour, Population  # noqa: E402
from app.tracking import service as tracking_service  # noqa: E402
from app.tracking.payloads import Identify, Track  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402
from storage.engine_models import OutboxMessage  # noqa: E402
from storage.models import Contact, Event  # noqa: E402

START = datetime(2026, 3, 2, 0, 0, tzinfo=UTC)  # history begins; the forecast week starts four weeks later
ZONES = ("Europe/Paris", "America/New_York", "Asia/Tokyo", None)
JOURNEY: dict[str, Any] = {
    "schema_version": 1,
    "name": "Cart recovery (forecast bench)",
    "nodes": [
        {"id": "entry", "type": "entry.event", "config": {"event": "Checkout Started"}},
        {"id": "push", "type": "message.push", "config": {"body": "Your cart is waiting"}},
        {"id": "hour", "type": "wait.duration", "config": {"duration": {"amount": 1, "unit": "hours"}}},
        {"id": "email", "type": "message.email", "config": {"subject": "Still thinking?", "body": "Come back"}},
        {
            "id": "order",
            "type": "wait.event",
            "config": {"event": "Order Completed", "timeout": {"amount": 1, "unit": "days"}},
        },
        {"id": "sms", "type": "message.sms", "config": {"body": "Last call: 10% off today"}},
        {"id": "bought", "type": "exit", "config": {}},
        {"id": "done", "type": "exit", "config": {}},
    ],
    "edges": [
        {"source": "entry", "port": "next", "target": "push"},
        {"source": "push", "port": "next", "target": "hour"},
        {"source": "hour", "port": "next", "target": "email"},
        {"source": "email", "port": "next", "target": "order"},
        {"source": "order", "port": "event", "target": "bought"},
        {"source": "order", "port": "timeout", "target": "sms"},
        {"source": "sms", "port": "next", "target": "done"},
    ],
    "settings": {
        "reentry": {"mode": "after_exit"},
        "frequency_caps": [{"channel": "sms", "max_messages": 1, "per": {"amount": 3, "unit": "days"}}],
    },
    "goal": {"event": "Order Completed", "window": {"amount": 1, "unit": "days"}, "exit_on_goal": False},
}


def people(ctx: context.AppContext, count: int) -> list[str]:
    """Contacts of the population: a quarter per time zone, consent varying by channel (seeded by index)."""
    now = ctx.clock.now()
    rows = []
    for i in range(count):
        rows.append(
            {
                "external_id": f"sim-{i:05d}",
                "email": f"sim{i}@example.com",
                "phone": f"+3360000{i:05d}",
                "push_id": f"token-{i}" if i % 5 < 3 else None,  # 60% reported a push token
                "time_zone": ZONES[i % len(ZONES)],
                "consent": {"email": "subscribed" if i % 10 < 7 else "unsubscribed", "sms": "subscribed"}
                if i % 2
                else {"email": "subscribed"},
                "attributes": {},
                "created_at": now,
                "updated_at": now,
            }
        )
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Contact.__table__), rows)
    return [r["external_id"] for r in rows]


class Crowd:
    """The population's events in a form ``ingest`` takes: ``population`` (app/simulation/population.py, people
    chosen at random for each event) or ``people`` (app/simulation/people.py, each person on their own daily
    rhythm in their own time zone, identified with their consent through the tracking API)."""

    def __init__(self, kind: str, ctx: context.AppContext, size: int, seed: int, per_minute: float) -> None:
        self.kind = kind
        if kind == "people":
            self.audience = SimulatedAudience(size, seed)
            send(ctx, [Identify.model_validate(call) for call in self.audience.identify_calls()])
            self.entry = "Product Added"
        else:
            self.population = Population(people(ctx, size), seed=seed, behaviour=Behaviour(per_minute))
            self.entry = "Checkout Started"

    def calls(self, start: datetime, end: datetime) -> list[Track]:
        if self.kind == "people":
            return [Track.model_validate(call) for call in self.audience.events(start, end)]
        return [Track.model_validate(e.segment()) for e in self.population.events(start, end)]


def send(ctx: context.AppContext, calls: list[Any]) -> None:
    for at in range(0, len(calls), 500):
        tracking_service.ingest(ctx, calls[at : at + 500])


def ingest(ctx: context.AppContext, crowd: Crowd, start: datetime, end: datetime) -> int:
    calls = crowd.calls(start, end)
    send(ctx, calls)
    return len(calls)


def sent_by_channel(ctx: context.AppContext, since: int) -> dict[str, int]:
    table = OutboxMessage.__table__
    query = (
        select(table.c.channel, func.count())
        .where(table.c.created_at >= since, table.c.status.in_(("sent", "sandbox")))
        .group_by(table.c.channel)
    )
    with ctx.db.engine.connect() as conn:
        return {str(channel): int(n) for channel, n in conn.execute(query)}


def run_week(ctx: context.AppContext, clock: FrozenClock, population: Crowd, step: int) -> int:
    engine, dispatcher = Engine(ctx), Dispatcher(ctx)
    end, events = clock.now() + timedelta(days=7), 0
    try:
        while clock.now() < end:
            before = clock.now()
            clock.advance(seconds=min(step, (end - before).total_seconds()))
            events += ingest(ctx, population, before, clock.now())
            engine.run()
            dispatcher.run()
    finally:
        dispatcher.close()
    return events


def measure(
    seed: int = 7, *, people_count: int = 600, per_minute: float = 2.0, step: int = 600, kind: str = "population"
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(START)
        ctx = context.init(Settings(database_url=f"sqlite:///{Path(tmp) / 'bench.db'}", secret="bench"), clock)
        try:
            population = Crowd(kind, ctx, people_count, seed, per_minute)
            clock.set(START + timedelta(weeks=4))
            history = ingest(ctx, population, START, clock.now())
            print(f"history: {history} events over 4 weeks, {people_count} people ({kind})", flush=True)
            Engine(ctx).run()  # the engine was running all along: past events are behind its cursor
            doc = json.loads(json.dumps(JOURNEY))
            doc["nodes"][0]["config"]["event"] = population.entry
            journey_id = journey_service.import_journey(ctx, json.dumps(doc))
            began = time.perf_counter()
            report = forecast_journey(ctx, journey_id)
            seconds = time.perf_counter() - began
            predicted = {c: report.forecast.total(c) for c in ("push", "email", "sms")}
            print(f"forecast ({seconds:.2f} s): {json.dumps({c: round(v, 1) for c, v in predicted.items()})}")
            journey_service.publish(ctx, journey_id)
            week_start = int(clock.now().timestamp())
            events = run_week(ctx, clock, population, step)
            actual = sent_by_channel(ctx, week_start)
            print(f"week: {events} events ingested, sent {json.dumps(actual)}", flush=True)
        finally:
            context.close()
    errors = {c: abs(predicted[c] - actual.get(c, 0)) / max(actual.get(c, 0), 1) for c in predicted}
    return {
        "forecast_error": round(max(errors.values()), 4),
        "predicted": {c: round(v, 1) for c, v in predicted.items()},
        "actual": {c: actual.get(c, 0) for c in predicted},
        "error_by_channel": {c: round(v, 4) for c, v in errors.items()},
        "skips_predicted": {f"{c}:{r}": round(n, 1) for (c, r), n in report.forecast.skips.items()},
        "conversion_source": report.conversion.source,
        "forecast_seconds": round(seconds, 3),
        "seed": seed,
        "population": kind,
    }


def timing(contacts: int = 100_000, seed: int = 7) -> float:
    """Seconds for one forecast of the same journey on ``contacts`` contacts who each started about two
    checkouts in the last four weeks (rows written in bulk: this measures the forecast, not ingestion)."""
    import random

    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(START + timedelta(weeks=4))
        ctx = context.init(Settings(database_url=f"sqlite:///{Path(tmp) / 'timing.db'}", secret="bench"), clock)
        try:
            now = clock.now()
            people(ctx, contacts)
            events = [
                {"contact_id": cid, "name": name, "properties": {}, "timestamp": at, "received_at": at}
                for cid in range(1, contacts + 1)
                for name in ("Checkout Started", "Checkout Started", "Order Completed")
                for at in [now - timedelta(seconds=rng.randrange(28 * 86_400))]
            ]
            with ctx.db.engine.begin() as conn:
                for at in range(0, len(events), 50_000):
                    conn.execute(insert(Event.__table__), events[at : at + 50_000])
            journey_id = journey_service.import_journey(ctx, json.dumps(JOURNEY))
            began = time.perf_counter()
            report = forecast_journey(ctx, journey_id)
            seconds = time.perf_counter() - began
            print(f"{contacts} contacts: forecast in {seconds:.2f} s (sampled {report.sampled})", flush=True)
        finally:
            context.close()
    return seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--people", type=int, default=600)
    parser.add_argument("--per-minute", type=float, default=2.0)
    parser.add_argument("--step", type=int, default=600, help="seconds the clock moves between engine passes")
    parser.add_argument("--population", choices=("population", "people"), default="population")
    parser.add_argument("--timing-contacts", type=int, default=100_000, help="0: skip the large-audience timing")
    args = parser.parse_args()
    result = measure(
        args.seed, people_count=args.people, per_minute=args.per_minute, step=args.step, kind=args.population
    )
    if args.timing_contacts:
        result[f"forecast_seconds_{args.timing_contacts // 1000}k"] = round(timing(args.timing_contacts), 3)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
