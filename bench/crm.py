"""Benchmark: contacts per second imported from a HubSpot-compatible stub through the real ``hubspot-api-client``.

    .venv/bin/python bench/crm.py [--contacts 100000]

A fresh SQLite database, the stub (tests/hubspot_stub.py, contacts encoded once so it answers cheaply) on
loopback, then one sync run timed end to end: search pages of 100 (restarting the query past HubSpot's
10,000-result cap), people matched by email, identify messages through ingestion, the position stored with each
page. The last line is JSON: contacts, seconds, crm_import_per_s (required: at least 2,000).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--contacts", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["PARCOURS_DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.db'}"
        os.environ["PARCOURS_SECRET"] = "bench-secret-crm"
        os.environ["PARCOURS_RUN_WORKER"] = "false"
        from app.core import context
        from app.core.settings import get_settings
        from app.integrations.crm import config, sync
        from tests.hubspot_stub import HubSpotStub

        stub = HubSpotStub(args.contacts, token="pat-bench").start()
        ctx = context.init(get_settings())
        config.save_credential(ctx, "hubspot", "access_token", "pat-bench", actor="bench")
        chosen = config.CrmSettings(enabled=True, mapping={"firstname": "first_name", "company": "company"})
        chosen.host = stub.url
        config.save(ctx, "hubspot", chosen, actor="bench")

        def progress(result: sync.RunResult) -> None:
            if result.pages % 100 == 0:
                print(f"page {result.pages}: {result.contacts} contacts", file=sys.stderr, flush=True)

        started = time.perf_counter()
        result = sync.run(ctx, "hubspot", progress=progress)
        seconds = time.perf_counter() - started
        with ctx.db.engine.connect() as conn:
            stored = conn.exec_driver_sql("SELECT count(*) FROM contact").scalar_one()
        context.close()
        stub.stop()
    if result.error or stored != args.contacts:
        raise SystemExit(f"sync failed: {result.error}, {stored} contacts stored of {args.contacts}")
    print(
        json.dumps(
            {
                "contacts": stored,
                "pages": result.pages,
                "seconds": round(seconds, 2),
                "crm_import_per_s": round(stored / seconds),
            }
        )
    )


if __name__ == "__main__":
    main()
