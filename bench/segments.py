"""Benchmark: a 3-condition segment (attribute + behavioural window + geofence) over 1M contacts, 10M events.

    .venv/bin/python bench/segments.py [--contacts 1000000] [--events 10000000] [--db PATH] [--reuse]

Data is generated with sqlite3 executemany into a migrated database (kept with --db/--reuse to rerun
the timing only). The last line is JSON: contacts, events, count, count_ms (median of 3 warm runs).
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import statistics
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from storage import segments  # noqa: E402
from storage.db import Database  # noqa: E402

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
PARIS = (48.8566, 2.3522)
PLANS = ["free", "free", "free", "basic", "basic", "gold"]
EVENT_NAMES = ["app_open", "app_open", "app_open", "view_item", "view_item", "add_to_cart", "purchase"]
SEGMENT = {
    "kind": "group",
    "match": "all",
    "conditions": [
        {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "gold"},
        {
            "kind": "performed",
            "event": "purchase",
            "op": "at_least",
            "count": 1,
            "within": {"amount": 30, "unit": "days"},
        },
        {"kind": "geofence", "lat": PARIS[0], "lon": PARIS[1], "radius_m": 25_000},
    ],
}
FMT = "%Y-%m-%d %H:%M:%S.%f"


def _location(rng: random.Random) -> tuple[float, float]:
    if rng.random() < 0.2:  # a fifth of the audience lives around Paris
        return PARIS[0] + rng.uniform(-0.5, 0.5), PARIS[1] + rng.uniform(-0.7, 0.7)
    return rng.uniform(43.0, 50.5), rng.uniform(-4.5, 8.0)


def generate(path: Path, contacts: int, events: int) -> None:
    db = Database(f"sqlite:///{path}")
    db.migrate()
    db.dispose()
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    rng = random.Random(7)
    created = (NOW - timedelta(days=400)).strftime(FMT)
    rows = []
    for i in range(1, contacts + 1):
        lat, lon = _location(rng)
        attrs = json.dumps({"plan": rng.choice(PLANS), "age": rng.randint(18, 80)})
        rows.append((i, f"u{i}", f"user{i}@example.com", attrs, "{}", lat, lon, created, created))
        if len(rows) == 100_000:
            _insert_contacts(conn, rows)
            rows = []
    _insert_contacts(conn, rows)
    index_sql = [
        r[0]
        for r in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type='index' AND tbl_name='event' AND sql IS NOT NULL"
        )
    ]
    index_names = [
        r[0]
        for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='index' AND tbl_name='event' AND sql IS NOT NULL"
        )
    ]
    for name in index_names:
        conn.execute(f"DROP INDEX {name}")  # bulk load first, index after: much faster
    start = NOW - timedelta(days=365)
    batch = []
    for _ in range(events):
        ts = start + timedelta(seconds=rng.randint(0, 365 * 86400))
        batch.append((rng.randint(1, contacts), rng.choice(EVENT_NAMES), "{}", ts.strftime(FMT), ts.strftime(FMT)))
        if len(batch) == 200_000:
            conn.executemany(
                "INSERT INTO event (contact_id, name, properties, timestamp, received_at) VALUES (?,?,?,?,?)", batch
            )
            conn.commit()
            batch = []
    if batch:
        conn.executemany(
            "INSERT INTO event (contact_id, name, properties, timestamp, received_at) VALUES (?,?,?,?,?)", batch
        )
    for sql in index_sql:
        conn.execute(sql)
    conn.execute("ANALYZE")
    conn.commit()
    conn.close()


def _insert_contacts(conn: sqlite3.Connection, rows: list[tuple]) -> None:
    conn.executemany(
        "INSERT INTO contact (id, external_id, email, attributes, consent, lat, lon, created_at, updated_at)"
        " VALUES (?,?,?,?,?,?,?,?,?)",
        rows,
    )
    conn.commit()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=10_000_000)
    parser.add_argument("--db", default="data/bench-segments.db")
    parser.add_argument("--reuse", action="store_true", help="time an existing database instead of regenerating")
    args = parser.parse_args()
    path = Path(args.db)
    if not (args.reuse and path.exists()):
        for suffix in ("", "-wal", "-shm"):
            Path(str(path) + suffix).unlink(missing_ok=True)
        path.parent.mkdir(parents=True, exist_ok=True)
        began = time.perf_counter()
        generate(path, args.contacts, args.events)
        print(f"generated in {time.perf_counter() - began:.1f} s", file=sys.stderr)
    db = Database(f"sqlite:///{path}")
    timings, count = [], 0
    for _ in range(4):
        with db.session() as session:
            began = time.perf_counter()
            count = segments.count_segment(session, condition=SEGMENT, now=NOW)
            timings.append((time.perf_counter() - began) * 1000)
    with db.engine.connect() as conn:
        contacts = conn.exec_driver_sql("SELECT count(*) FROM contact").scalar_one()
        events = conn.exec_driver_sql("SELECT max(id) FROM event").scalar_one()
    db.dispose()
    print(
        json.dumps(
            {
                "contacts": contacts,
                "events": events,
                "count": count,
                "count_ms": round(statistics.median(timings[1:]), 1),
                "cold_ms": round(timings[0], 1),
            }
        )
    )


if __name__ == "__main__":
    main()
