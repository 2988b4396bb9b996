"""Best send time against the truth: the open-rate lift over a fixed 10:00 local send, as a share of an oracle's.

Usage: .venv/bin/python bench/intelligence_besttime.py [--contacts 5000] [--seed 7]
A seeded simulated population (app/simulation/people.py) with hidden active hours sends four weeks of events
through the real tracking intake and store (identify calls, sessions, views, carts, orders), and answers eight
past pushes each, sent at random hours, through ``respond`` (its opens logged as the engagement code logs them).
The real refresh (app/engagement/best_time.py) builds the profiles; the real choice (journeys/send_time.py) then
picks each contact's instant in the next 24 hours. Expected opens come from the hidden truth (``open_chance``) for
three policies: a fixed 10:00 local send, the best-time choice, and an oracle that knows each person's hidden
active hours and picks the best of the same instants. Required: best_time_share_of_oracle >= 0.7.
Prints progress lines, then a JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import select  # noqa: E402

from app.core import context  # noqa: E402
from app.core.context import AppContext  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.engagement import best_time  # noqa: E402
from app.simulation.people import Person, SimulatedAudience, open_chance  # noqa: E402
from app.tracking import intake as tracking_intake  # noqa: E402
from app.tracking import service as tracking  # noqa: E402
from journeys import send_time  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402
from journeys.localtime import next_time_of_day  # noqa: E402
from storage import send_time as profiles_store  # noqa: E402
from storage.funnel_log import Entry, write  # noqa: E402
from storage.models import Contact  # noqa: E402

NOW = datetime(2026, 11, 30, 6, 0, tzinfo=UTC)  # a Monday morning in Europe, the night before in America
HISTORY_DAYS = 28
PAST_SENDS = 8
WINDOW_HOURS = 24
BATCH = 2_000


def _progress(message: str) -> None:
    print(message, flush=True)


def _ingest(ctx: AppContext, calls: list[dict[str, Any]]) -> None:
    """Through the tracking API's own intake and store, without HTTP."""
    for start in range(0, len(calls), BATCH):
        found, shared = tracking_intake.read({"batch": calls[start : start + BATCH]}, kind=None, now=NOW)
        tracking.ingest(ctx, intake=found, batch_context=shared)
        if start // BATCH % 25 == 0:
            _progress(f"  ingested {min(start + BATCH, len(calls)):,}/{len(calls):,} calls")


def _contact_ids(ctx: AppContext) -> dict[str, int]:
    table = Contact.__table__  # type: ignore[attr-defined]
    with ctx.db.engine.connect() as conn:
        return {external: cid for external, cid in conn.execute(select(table.c.external_id, table.c.id))}


def _past_opens(ctx: AppContext, audience: SimulatedAudience, ids: dict[str, int], seed: int) -> int:
    """Eight pushes per person at random instants of the history, answered by ``respond``; opens logged."""
    start = NOW - timedelta(days=HISTORY_DAYS)
    entries = []
    for person in audience.people:
        rng = random.Random(f"past-sends:{seed}:{person.user_id}")
        for number in range(PAST_SENDS):
            sent = start + timedelta(seconds=rng.uniform(0, (HISTORY_DAYS - 1) * 86_400))
            answer = audience.respond(person.user_id, "push", sent)
            if answer.opened_at is not None:
                at = int(answer.opened_at.timestamp())
                cid = ids[person.user_id]
                entries.append(Entry(1, 1, cid, number + 1, "past_push", "", "push", "opened", "", at))
    with ctx.db.engine.begin() as conn:
        write(conn, entries)
    return len(entries)


def _policies(person: Person, profile: send_time.Profile | None, workspace: send_time.Profile) -> tuple[float, ...]:
    """Expected chance to open of (fixed 10:00, best time, oracle) for one person."""
    now = int(NOW.timestamp())
    tz = ZoneInfo(person.timezone)

    def chance(at: int) -> float:
        return open_chance(person, "push", datetime.fromtimestamp(at, UTC))

    fixed = next_time_of_day(now, "10:00", tz)
    chosen = send_time.choose(now, within_hours=WINDOW_HOURS, tz=tz, contact=profile, workspace=workspace)
    oracle = max(chance(at) for at in send_time.candidates(now, WINDOW_HOURS, tz))
    return chance(fixed), chance(chosen.at), oracle


def _history(ctx: AppContext, audience: SimulatedAudience, seed: int) -> dict[str, float]:
    began = time.perf_counter()
    calls = audience.identify_calls() + audience.events(NOW - timedelta(days=HISTORY_DAYS), NOW)
    _progress(f"simulated {len(calls):,} calls in {time.perf_counter() - began:.1f} s")
    began = time.perf_counter()
    _ingest(ctx, calls)
    ingest_s = time.perf_counter() - began
    opens = _past_opens(ctx, audience, _contact_ids(ctx), seed)
    _progress(f"ingested in {ingest_s:.1f} s; {opens:,} opens of {len(audience.people) * PAST_SENDS:,} past pushes")
    began = time.perf_counter()
    refreshed = best_time.refresh(ctx, max_chunks=10_000)
    refresh_s = time.perf_counter() - began
    _progress(
        f"profiles of {refreshed.contacts:,} contacts from {refreshed.engagements:,} engagements in {refresh_s:.1f} s"
    )
    return {"calls": len(calls), "past_opens": opens, "ingest_s": ingest_s, "refresh_s": refresh_s}


def measure(seed: int = 7, contacts: int = 5000) -> dict[str, Any]:
    """The figure on a fresh temporary database; see the module's description."""
    audience = SimulatedAudience(contacts, seed)
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{Path(tmp) / 'besttime.db'}", secret="bench")
        ctx = context.init(settings, FrozenClock(NOW))
        try:
            history = _history(ctx, audience, seed)
            ids = _contact_ids(ctx)
            with ctx.db.engine.connect() as conn:
                stored = profiles_store.profiles(conn, ids.values())
                workspace = profiles_store.workspace(conn)
        finally:
            context.close()
    rows = [_policies(p, stored.get(ids[p.user_id]), workspace) for p in audience.people]
    fixed, best, oracle = (statistics.fmean(column) for column in zip(*rows, strict=True))
    totals = [stored[ids[p.user_id]].total if ids[p.user_id] in stored else 0 for p in audience.people]
    return {
        "best_time_share_of_oracle": round((best - fixed) / (oracle - fixed), 4),
        "fixed_open_rate": round(fixed, 4),
        "best_time_open_rate": round(best, 4),
        "oracle_open_rate": round(oracle, 4),
        "contacts": contacts,
        "seed": seed,
        "share_with_enough_data": round(sum(t >= send_time.ENOUGH for t in totals) / contacts, 4),
        "median_engagements": statistics.median(totals),
        "history_calls": history["calls"],
        "ingest_seconds": round(history["ingest_s"], 1),
        "refresh_seconds": round(history["refresh_s"], 2),
        "required_share": 0.7,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=5000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    print(json.dumps(measure(seed=args.seed, contacts=args.contacts)))


if __name__ == "__main__":
    main()
