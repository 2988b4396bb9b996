"""Engine throughput: N contacts through event entry -> push -> wait 1 h -> branch -> email -> exit.

Usage: .venv/bin/python bench/engine.py [--contacts 100000] [--batch 5000]
Prints a JSON object as its last line. The clock is moved, never waited for; messages go to the sandbox.
"""

from __future__ import annotations

import argparse
import json
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.authoring import service as journey_service
from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.delivery.dispatch import Dispatcher  # noqa: E402
from app.engine.engine import Engine  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402

JOURNEY = {
    "schema_version": 1,
    "name": "Benchmark",
    "nodes": [
        {"id": "entry", "type": "entry.event", "config": {"event": "checkout_started"}},
        {"id": "push", "type": "message.push", "config": {"body": "Hi {{ contact.first_name }}, still there?"}},
        {"id": "wait", "type": "wait.duration", "config": {"duration": {"amount": 1, "unit": "hours"}}},
        {
            "id": "branch",
            "type": "branch",
            "config": {"condition": {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}},
        },
        {"id": "email", "type": "message.email", "config": {"subject": "Your cart", "body": "<p>Come back</p>"}},
        {"id": "exit", "type": "exit", "config": {}},
    ],
    "edges": [
        {"source": "entry", "target": "push", "port": "next"},
        {"source": "push", "target": "wait", "port": "next"},
        {"source": "wait", "target": "branch", "port": "next"},
        {"source": "branch", "target": "email", "port": "yes"},
        {"source": "branch", "target": "exit", "port": "no"},
        {"source": "email", "target": "exit", "port": "next"},
    ],
}


def populate(path: Path, contacts: int) -> None:
    """Contacts and their triggering events, written directly (this is set-up, not what is measured)."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    stamp = "2026-01-05 08:59:00.000000"
    consent = json.dumps({"push": "subscribed", "email": "subscribed"})
    for start in range(0, contacts, 50_000):
        ids = range(start + 1, min(start + 50_000, contacts) + 1)
        conn.executemany(
            "INSERT INTO contact (id, external_id, email, attributes, consent, created_at, updated_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                (
                    i,
                    f"u{i}",
                    f"u{i}@example.com",
                    json.dumps({"first_name": f"N{i}", "plan": "pro" if i % 2 else "free"}),
                    consent,
                    stamp,
                    stamp,
                )
                for i in ids
            ),
        )
        conn.executemany(
            "INSERT INTO event (contact_id, name, properties, timestamp, received_at) VALUES (?, ?, '{}', ?, ?)",
            ((i, "checkout_started", stamp, stamp) for i in ids),
        )
        conn.commit()
    conn.close()


def sqlite_ceiling(path: Path, rows: int) -> float:
    """Raw sqlite3 UPDATE-by-primary-key rows/s on a table of the same size, transactions of 10k."""
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute("CREATE TABLE ceiling (id INTEGER PRIMARY KEY, node TEXT, status TEXT, due_at INTEGER, context TEXT)")
    for start in range(0, rows, 100_000):
        conn.executemany(
            "INSERT INTO ceiling VALUES (?, 'push', 'active', 0, '{}')",
            ((i,) for i in range(start + 1, min(start + 100_000, rows) + 1)),
        )
    conn.commit()
    began = time.perf_counter()
    for start in range(0, rows, 10_000):
        conn.executemany(
            "UPDATE ceiling SET node = 'wait', due_at = ? WHERE id = ?",
            ((3600, i) for i in range(start + 1, min(start + 10_000, rows) + 1)),
        )
        conn.commit()
    elapsed = time.perf_counter() - began
    conn.execute("DROP TABLE ceiling")
    conn.commit()
    conn.close()
    return rows / elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=5_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        clock = FrozenClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        ctx = context.init(Settings(database_url=f"sqlite:///{path}", secret="bench"), clock)
        journey_id = journey_service.import_journey(ctx, json.dumps(JOURNEY))
        journey_service.publish(ctx, journey_id)
        populate(path, args.contacts)
        engine = Engine(ctx, batch_size=args.batch)
        began, cpu_began = time.perf_counter(), time.process_time()
        steps = engine.run(max_batches=10**9)
        clock.advance(timedelta(hours=1, seconds=1))
        steps += engine.run(max_batches=10**9)
        seconds = time.perf_counter() - began
        cpu_seconds = time.process_time() - cpu_began
        dispatch_began = time.perf_counter()
        dispatcher = Dispatcher(ctx)
        sandboxed = dispatcher.run(max_rounds=10**9)
        dispatcher.close()
        dispatch_seconds = time.perf_counter() - dispatch_began
        with ctx.db.engine.connect() as conn:
            from sqlalchemy import text

            finished = conn.execute(text("SELECT count(*) FROM enrollment WHERE status = 'done'")).scalar_one()
        context.close()
        ceiling = sqlite_ceiling(path, args.contacts)
    steps_per_s = steps / seconds
    result = {
        "contacts": args.contacts,
        "finished": finished,
        "steps": steps,
        "seconds": round(seconds, 2),
        # On a shared machine wall time includes other processes' turns; CPU time is this process's own.
        "cpu_seconds": round(cpu_seconds, 2),
        "steps_per_cpu_s": round(steps / cpu_seconds),
        "steps_per_s": round(steps_per_s),
        "sqlite_update_rows_per_s": round(ceiling),
        "ratio": round(steps_per_s / ceiling, 3),
        "messages_sandboxed": sandboxed,
        "dispatch_seconds": round(dispatch_seconds, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
