"""Conversion scores against the truth: holdout AUC of the trained model next to the AUC of the hidden propensity.

Usage: .venv/bin/python bench/intelligence_scores.py [--contacts 20000] [--seed 7] [--days 120]
Seeded simulated people (app/simulation/people.py, whose hidden ``propensity`` is their chance to order in the
next 14 days) act for ``days`` days; their contacts and events are written into a real SQLite workspace (the
events by ingestion's own writer, storage.contacts.insert_events, without the HTTP intake, to keep the run
short). The real code then trains the
``Order Completed`` model on the time-based split (app/predictions/service.py: features as of now - 28 days,
labels in the next 14; holdout as of now - 14 days) and scores every contact. ``oracle_auc`` ranks the same
holdout by the hidden propensity. Required: ``auc`` within 0.05 of ``oracle_auc``.

``train_seconds_1m`` fits the same model on 1,000,000 feature rows drawn from the simulated training rows
(resampled with replacement, counts jittered by +-1 so rows are not exact copies): synthetic, from the simulator's
feature distribution. Prints progress, then a JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402
from sklearn.metrics import roc_auc_score  # noqa: E402
from sqlalchemy import insert  # noqa: E402

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.predictions import model as learning  # noqa: E402
from app.predictions import service  # noqa: E402
from app.simulation import people_events  # noqa: E402
from app.simulation.people import SimulatedAudience  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402
from storage import prediction_features as features  # noqa: E402
from storage.contacts import insert_events  # noqa: E402
from storage.models import Contact  # noqa: E402

GOAL = "Order Completed"
HORIZON_DAYS = 14
END = datetime(2026, 11, 30, tzinfo=UTC)
PEOPLE_PER_CHUNK = 1_000
ROWS_1M = 1_000_000


def _log(text: str) -> None:
    print(text, flush=True)


def _contacts(ctx: context.AppContext, audience: SimulatedAudience) -> dict[str, int]:
    now = ctx.clock.now()
    rows = [
        {
            "id": i + 1,
            "external_id": p.user_id,
            "email": p.email,
            "phone": p.phone,
            "time_zone": p.timezone,
            "attributes": {},
            "consent": {},
            "created_at": now,
            "updated_at": now,
        }
        for i, p in enumerate(audience.people)
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Contact.__table__), rows)
    return {p.user_id: i + 1 for i, p in enumerate(audience.people)}


def _events(ctx: context.AppContext, audience: SimulatedAudience, ids: dict[str, int], start: datetime) -> int:
    """Every person's events in (start, END], written chunk by chunk; returns how many."""
    written = 0
    for first in range(0, len(audience.people), PEOPLE_PER_CHUNK):
        people = audience.people[first : first + PEOPLE_PER_CHUNK]
        rows = []
        for call in people_events.events_between(people, audience.seed, start, END):
            at = datetime.fromisoformat(call["timestamp"])
            rows.append(
                {
                    "contact_id": ids[call["userId"]],
                    "name": call["event"],
                    "properties": call["properties"],
                    "timestamp": at,
                    "received_at": at,
                    "message_id": call["messageId"],
                }
            )
        with ctx.db.write_session() as session:
            insert_events(session, rows)  # ingestion's own event writer
        written += len(rows)
        _log(f"events: {first + len(people):,} people, {written:,} events")
    return written


def _oracle_auc(ctx: context.AppContext, audience: SimulatedAudience, ids: dict[str, int]) -> tuple[float, int]:
    """The hidden propensity's AUC on the model's holdout: contacts active by now - 14 days, goal in the 14 after."""
    holdout_at = END - timedelta(days=HORIZON_DAYS)
    with ctx.db.engine.connect() as conn:
        holdout = features.contacts_with_events(conn, holdout_at)
        did = features.converted(conn, GOAL, holdout_at, END)
    truth = {ids[p.user_id]: p.propensity for p in audience.people}
    labels = [1 if c in did else 0 for c in holdout]
    return float(roc_auc_score(labels, [truth[c] for c in holdout])), len(holdout)


def _train_1m(train_set: learning.Dataset, seed: int) -> float:
    rng = np.random.default_rng(seed)
    rows = rng.integers(0, len(train_set.y), size=ROWS_1M)
    x = train_set.x[rows].copy()
    counts = [i for i, name in enumerate(train_set.names) if name.startswith(("count_", "sent_", "opened_", "freq"))]
    x[:, counts] = np.maximum(0, x[:, counts] + rng.integers(-1, 2, size=(ROWS_1M, len(counts))))
    big = learning.Dataset(list(range(ROWS_1M)), train_set.names, x, train_set.y[rows])
    began = time.perf_counter()
    learning.fit(big, seed=seed)
    return time.perf_counter() - began


def measure(seed: int = 7, contacts: int = 20000, days: int = 120) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        ctx = context.init(Settings(database_url=f"sqlite:///{tmp}/bench.db", secret="bench"), FrozenClock(END))
        try:
            return _measure(ctx, seed, contacts, days)
        finally:
            context.close()


def _measure(ctx: context.AppContext, seed: int, contacts: int, days: int) -> dict[str, Any]:
    began = time.perf_counter()
    audience = SimulatedAudience(contacts, seed)
    ids = _contacts(ctx, audience)
    events = _events(ctx, audience, ids, END - timedelta(days=days))
    _log(f"workspace ready in {time.perf_counter() - began:.1f} s")
    started = time.perf_counter()
    result = service.train(ctx, GOAL, HORIZON_DAYS, seed=seed)
    train_and_score = time.perf_counter() - started
    _log(f"trained and scored: AUC {result.auc:.4f} in {train_and_score:.1f} s")
    started = time.perf_counter()
    scored = service.score(ctx, result.slug)
    score_seconds = time.perf_counter() - started
    oracle, holdout = _oracle_auc(ctx, audience, ids)
    _log(f"oracle AUC {oracle:.4f} on {holdout:,} holdout contacts; scoring {scored / score_seconds:,.0f} contacts/s")
    periods, _ = service.datasets(ctx, GOAL, HORIZON_DAYS)
    train_1m = _train_1m(learning.Dataset.stack(periods), seed)
    _log(f"1,000,000 synthetic rows fitted in {train_1m:.1f} s")
    return {
        "contacts": contacts,
        "seed": seed,
        "days": days,
        "events": events,
        "holdout_contacts": holdout,
        "auc": round(result.auc, 4),
        "oracle_auc": round(oracle, 4),
        "auc_gap": round(oracle - result.auc, 4),
        "required_gap_at_most": 0.05,
        "train_and_score_seconds": round(train_and_score, 2),
        "train_seconds_1m": round(train_1m, 2),
        "train_1m_rows": "synthetic: resampled from the simulated training rows",
        "score_contacts_per_s": round(scored / score_seconds, 1),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--days", type=int, default=120)
    args = parser.parse_args()
    print(json.dumps(measure(args.seed, args.contacts, args.days)))


if __name__ == "__main__":
    main()
