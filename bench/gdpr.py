"""GDPR figures: retention purge of old events, and the time to erase one contact from a filled database.

Seeds a temporary SQLite file with contacts and events written the way ingestion does, then times
``purge_expired`` (events past retention deleted in batches) and ``erase_contact``. Prints a JSON object last.

    .venv/bin/python bench/gdpr.py [--contacts 10000] [--events 200000]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.privacy import gdpr  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402
from storage.models import Contact, Event  # noqa: E402


def seed(ctx: context.AppContext, contacts: int, events: int) -> None:
    now = ctx.clock.now()
    rows = [
        {
            "external_id": f"u{i}",
            "email": f"u{i}@example.com",
            "phone": f"+3361{i:07d}",
            "attributes": {},
            "consent": {"sms": "subscribed"},
            "created_at": now,
            "updated_at": now,
        }
        for i in range(1, contacts + 1)
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Contact.__table__), rows)
        batch = []
        for n in range(events):
            at = now - timedelta(days=60 if n % 2 else 1, seconds=n)
            batch.append(
                {
                    "contact_id": n % contacts + 1,
                    "name": "Viewed",
                    "properties": {"n": n},
                    "timestamp": at,
                    "received_at": at,
                }
            )
            if len(batch) == 20_000:
                conn.execute(insert(Event.__table__), batch)
                batch = []
        if batch:
            conn.execute(insert(Event.__table__), batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=10_000)
    parser.add_argument("--events", type=int, default=200_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(database_url=f"sqlite:///{tmp}/bench.db", secret="bench", run_worker=False)
        ctx = context.init(settings, FrozenClock(datetime(2026, 6, 1, tzinfo=UTC)))
        seed(ctx, args.contacts, args.events)
        settings.retention_events_days = 30
        start = time.perf_counter()
        purged = gdpr.purge_expired(ctx)
        purge_s = time.perf_counter() - start
        start = time.perf_counter()
        gdpr.erase_contact(ctx, 1, actor="bench")
        erase_s = time.perf_counter() - start
        context.close()
    print(
        json.dumps(
            {
                "events": args.events,
                "purged": purged["events"],
                "purge_s": round(purge_s, 3),
                "purge_events_per_s": round(purged["events"] / purge_s),
                "erase_one_s": round(erase_s, 3),
            }
        )
    )


if __name__ == "__main__":
    main()
