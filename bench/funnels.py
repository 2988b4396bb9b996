"""Funnel and dashboard queries on a large step log.

    .venv/bin/python bench/funnels.py [--rows 10000000] [--journeys 20] [--days 30]

Fills the step log of 20 live journeys with sqlite3 executemany (about 17 rows per enrollment: entry,
split, email, opens, clicks, wait, push, exit, conversions spread over 30 days), writes the matching hourly
and daily buckets, per-journey daily totals and enrollments (10% still active), then times the journey
analytics view (funnel) and the dashboard refresh.
Prints one JSON object as its last line: rows, funnel_query_ms, dashboard_ms (best of 5).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.analytics import funnels
from app.authoring import service as journey_service
from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402
from journeys.metrics import DAY, HOUR  # noqa: E402
from tests.funnel_support import experiment_doc  # noqa: E402

LOG_SQL = (
    "INSERT INTO step_log (journey_id, version_id, contact_id, entry_no, node_id, variant, channel, metric, reason, at)"
    " VALUES (?,?,?,?,?,?,?,?,?,?)"
)
BUCKET_SQL = (
    "INSERT INTO metric_bucket (journey_id, grain, period, version_id, node_id, variant, channel, metric, reason,"
    " count) VALUES (?,?,?,?,?,?,?,?,?,?)"
)
DAY_SQL = "INSERT INTO journey_day_count (journey_id, period, metric, count) VALUES (?,?,?,?)"
ENR_SQL = (
    "INSERT INTO enrollment (journey_id, version_id, contact_id, entry_no, node_id, status, phase, due_at, context,"
    " entered_at, updated_at) VALUES (?,?,?,1,?,?,0,?,?,?,?)"
)


def enrollment_rows(rng: random.Random, journey: int, version: int, contact: int, at: int) -> list[tuple]:
    variant = "A" if rng.random() < 0.5 else "B"
    mail = "mail_a" if variant == "A" else "mail_b"
    rows = [(journey, version, contact, 1, "entry", "", "", "enrolled", "", at)]
    rows.append((journey, version, contact, 1, "split", variant, "", "entered", "", at))
    rows.append((journey, version, contact, 1, "split", variant, "", "assigned", variant, at))
    for metric in ("entered", "messaged", "sent", "delivered"):
        rows.append((journey, version, contact, 1, mail, variant, "email", metric, "", at + 60))
    if rng.random() < 0.3:
        rows.append((journey, version, contact, 1, mail, variant, "email", "opened", "", at + 3_600))
    if rng.random() < 0.1:
        rows.append((journey, version, contact, 1, mail, variant, "email", "clicked", "", at + 3_700))
    rows.append((journey, version, contact, 1, "wait", variant, "", "entered", "", at + 60))
    for metric in ("entered", "messaged", "sent", "delivered"):
        rows.append((journey, version, contact, 1, "push", variant, "push", metric, "", at + DAY))
    rows.append((journey, version, contact, 1, "done", variant, "", "entered", "", at + DAY))
    rows.append((journey, version, contact, 1, "done", variant, "", "completed", "", at + DAY))
    if rng.random() < (0.05 if variant == "A" else 0.08):
        rows.append((journey, version, contact, 1, "push", variant, "push", "converted", "", at + DAY + 600))
    return rows


def fill(db_path: str, journeys: list[tuple[int, int]], target: int, start: int, days: int) -> int:
    rng = random.Random(1)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    tally: Counter = Counter()
    written, contact, batch, enrollments = 0, 0, [], []
    while written < target:
        for journey, version in journeys:
            contact += 1
            at = start + rng.randrange(days * DAY - 2 * DAY)
            rows = enrollment_rows(rng, journey, version, contact, at)
            batch.extend(rows)
            status = "active" if rng.random() < 0.1 else "done"
            enrollments.append((journey, version, contact, "wait", status, at + DAY, "{}", at, at))
        if len(batch) >= 200_000 or written + len(batch) >= target:
            batch = batch[: target - written]
            for r in batch:
                for grain in (HOUR, DAY):
                    tally[(r[0], grain, r[9] - r[9] % grain, r[1], r[4], r[5], r[6], r[7], r[8])] += 1
            with conn:
                conn.executemany(LOG_SQL, batch)
                conn.executemany(ENR_SQL, enrollments)
            written += len(batch)
            batch, enrollments = [], []
    # the per-journey daily totals the engine bumps with the buckets (journey, day, metric)
    days: Counter = Counter()
    for key, n in tally.items():
        if key[1] == DAY:
            days[(key[0], key[2], key[7])] += n
    with conn:
        conn.executemany(BUCKET_SQL, [(*key, n) for key, n in tally.items()])
        conn.executemany(DAY_SQL, [(*key, n) for key, n in days.items()])
    conn.execute("ANALYZE")
    conn.close()
    return written


def timed_ms(fn, repeat: int = 5) -> float:  # type: ignore[no-untyped-def]
    best = float("inf")
    for _ in range(repeat):
        began = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - began)
    return round(best * 1000, 2)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000_000)
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--days", type=int, default=30)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db_path = f"{tmp}/bench.db"
        clock = FrozenClock()
        ctx = context.init(Settings(database_url=f"sqlite:///{db_path}", secret="bench"), clock)
        journeys = []
        for i in range(args.journeys):
            journey_id = journey_service.import_journey(ctx, json.dumps(experiment_doc(name=f"Journey {i + 1:02d}")))
            journey_service.publish(ctx, journey_id)
            with ctx.db.engine.connect() as conn:
                sql = "SELECT live_version_id FROM journey WHERE id = ?"
                journeys.append((journey_id, conn.exec_driver_sql(sql, (journey_id,)).scalar()))
        now = int(clock.now().timestamp())
        start = now - now % DAY - (args.days - 1) * DAY
        began = time.perf_counter()
        rows = fill(db_path, journeys, args.rows, start, args.days)
        fill_s = round(time.perf_counter() - began, 1)
        funnel_ms = timed_ms(lambda: funnels.journey_analytics(ctx, journeys[len(journeys) // 2][0]))
        dashboard_ms = timed_ms(lambda: funnels.dashboard(ctx, start=start, end=now - now % DAY + DAY))
        with ctx.db.engine.connect() as conn:
            buckets = conn.exec_driver_sql("SELECT count(*) FROM metric_bucket").scalar()
        context.close()
    result = {
        "rows": rows,
        "journeys": args.journeys,
        "buckets": buckets,
        "fill_s": fill_s,
        "funnel_query_ms": funnel_ms,
        "dashboard_ms": dashboard_ms,
        "required": {"funnel_query_ms": 300, "dashboard_ms": 300},
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
