"""Benchmark: rows per second of ``python main.py db copy --to postgresql://...`` from a SQLite workspace.

    .venv/bin/python bench/db_copy.py [--contacts 20000] [--events 200000]

Fills a temporary SQLite file through the real ingestion service (identify calls for the contacts, track
calls for the events), creates an empty database on the PostgreSQL server (``PARCOURS_TEST_POSTGRES_URL``, else
127.0.0.1:5432 as postgres), runs the copy as a user would and drops the database after. The last line is
JSON: rows, copy_s (the copy alone, as the command reports it), rows_per_s, total_s (migrating the target,
copying and verifying) and the command's peak RSS, which stays flat as tables grow (rows stream in batches).
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.tracking.payloads import Identify, Track  # noqa: E402
from app.tracking.service import ingest  # noqa: E402
from tests import postgres  # noqa: E402


def fill(url: str, contacts: int, events: int) -> None:
    ctx = context.init(Settings(database_url=url, secret="bench-db-copy", run_worker=False))
    try:
        for start in range(0, contacts, 1_000):
            ingest(
                ctx,
                [
                    Identify(userId=f"user-{i}", traits={"email": f"u{i}@example.com", "plan": "pro", "score": i / 7})
                    for i in range(start, min(start + 1_000, contacts))
                ],
            )
        for start in range(0, events, 1_000):
            ingest(
                ctx,
                [
                    Track(
                        userId=f"user-{i % contacts}",
                        event="Order Completed" if i % 5 == 0 else "Product Viewed",
                        properties={"product_id": f"p{i % 97}", "price": 19.99, "currency": "EUR"},
                    )
                    for i in range(start, min(start + 1_000, events))
                ],
            )
            print(f"filled {min(start + 1_000, events):,} / {events:,} events", flush=True)
    finally:
        context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        source = f"sqlite:///{Path(tmp) / 'source.db'}"
        fill(source, args.contacts, args.events)
        name = "parcours_bench_copy_" + uuid.uuid4().hex[:8]
        with postgres._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        try:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
            env |= {"PARCOURS_DATABASE_URL": source, "PARCOURS_SECRET": "bench-db-copy"}
            started = time.perf_counter()
            done = subprocess.run(
                [sys.executable, str(ROOT / "main.py"), "db", "copy", "--to", postgres.url_for(name)],
                capture_output=True,
                text=True,
                env=env,
                cwd=tmp,
            )
            total = time.perf_counter() - started
        finally:
            postgres.drop(name)
    if done.returncode != 0:
        sys.exit(f"copy failed: {done.stderr.strip().splitlines()[-1]}")
    print(done.stdout.strip().splitlines()[-1], flush=True)
    copied = re.search(r"copied ([\d,]+) rows in \d+ tables in ([\d.]+) s", done.stdout)
    assert copied, done.stdout
    rows, seconds = int(copied.group(1).replace(",", "")), float(copied.group(2))
    peak_kb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    print(
        json.dumps(
            {
                "rows": rows,
                "copy_s": seconds,
                "rows_per_s": round(rows / seconds),
                "total_s": round(total, 1),
                "peak_rss_mb": round(peak_kb / 1024),
            }
        )
    )


if __name__ == "__main__":
    main()
