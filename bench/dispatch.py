"""Dispatch throughput: outbox -> OneSignal-compatible stub over real HTTP (stub in its own process).

Usage: .venv/bin/python bench/dispatch.py [--messages 20000] [--unique]
--unique gives every message its own content (one request each); by default content is identical and
leaves in batches. Prints a JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.delivery.dispatch import Dispatcher  # noqa: E402
from app.delivery.workspace import save_policy  # noqa: E402
from journeys.policy import DeliveryPolicy  # noqa: E402
from storage import raw  # noqa: E402


def fill(ctx: context.AppContext, count: int, unique: bool) -> None:
    rows = [
        (
            f"bench-{i}",
            1,
            1,
            "push",
            "",
            i,
            "push",
            False,
            raw.dumps({"body": f"Hello {i}" if unique else "Hello", "external_id": f"u{i}"}),
            "pending",
            0,
            0,
            0,
        )
        for i in range(1, count + 1)
    ]
    with ctx.db.engine.begin() as conn:
        raw.execute_many(
            conn,
            "INSERT INTO outbox (message_id, journey_id, version_id, node_id, variant, contact_id, channel,"
            " transactional, payload, status, attempts, next_attempt_at, created_at)"
            " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            rows,
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--unique", action="store_true", help="distinct content per message (no batching)")
    args = parser.parse_args()
    stub = subprocess.Popen(
        [sys.executable, "-m", "tests.stub_servers"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    url = stub.stdout.readline().strip()  # type: ignore[union-attr]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            settings = Settings(
                database_url=f"sqlite:///{Path(tmp) / 'dispatch.db'}",
                secret="bench",
                onesignal_app_id="bench-app",
                onesignal_api_key="bench-key",  # type: ignore[arg-type]
                onesignal_host=url,
                dispatch_batch_size=2_000,
            )
            ctx = context.init(settings)
            save_policy(ctx, DeliveryPolicy(rate_limits={"onesignal": 10_000}))
            fill(ctx, args.messages, args.unique)
            dispatcher = Dispatcher(ctx)
            began = time.perf_counter()
            handled = dispatcher.run(max_rounds=10**9)
            seconds = time.perf_counter() - began
            dispatcher.close()
            with ctx.db.engine.connect() as conn:
                sent = raw.fetch(conn, "SELECT count(*) FROM outbox WHERE status = 'sent'")[0][0]
            context.close()
        stats = httpx.get(url + "/stats").json()
    finally:
        stub.stdin.close()  # type: ignore[union-attr]
        stub.wait(timeout=10)
    print(
        json.dumps(
            {
                "messages": args.messages,
                "unique_content": args.unique,
                "sent": sent,
                "handled": handled,
                "requests": stats["requests"],
                "recipients_at_stub": stats["recipients"],
                "seconds": round(seconds, 2),
                "messages_per_s": round(sent / seconds),
            }
        )
    )


if __name__ == "__main__":
    main()
