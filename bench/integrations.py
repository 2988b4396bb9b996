"""Benchmark of the integrations: Shopify webhooks to stored events over loopback HTTP against the real server,
then the CRM import (bench/crm.py) and the holdout uplift (bench/uplift.py), each in its own process.

    .venv/bin/python bench/integrations.py [--webhooks 2000] [--clients 4] [--latency 300]
        [--crm-contacts 100000] [--uplift-contacts 20000]   (0 skips that figure)

Starts ``python main.py`` on a free port with a fresh database and a Shopify app secret, builds signed
``checkouts/create`` and ``orders/paid`` deliveries (from the documented payloads in tests/fixtures/shop, one
customer each) up front, then posts ``--latency`` of them one at a time: each answer comes after the event is
stored, so its time is the webhook-to-stored-event latency (``webhook_p95_ms``); then ``--webhooks`` more from
``--clients`` threads for the throughput (``webhooks_per_s``). Then ``crm_import_per_s`` and
``uplift_interval_covers_truth``. The last line is JSON with all four.
"""

from __future__ import annotations

import argparse
import base64
import hashlib
import hmac
import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.ingest import free_port, server_env, start_server  # noqa: E402

SECRET = "shpss_bench_0123456789abcdef0123456789"
FIXTURES = ROOT / "tests" / "fixtures" / "shop"


def deliveries(count: int, offset: int) -> list[tuple[dict[str, str], bytes]]:
    """Signed deliveries, alternately a checkout and a paid order of a new customer."""
    checkout = json.loads((FIXTURES / "shopify_checkout_create.json").read_text())
    order = json.loads((FIXTURES / "shopify_order_paid.json").read_text())
    out = []
    for n in range(offset, offset + count):
        body, topic = (checkout, "checkouts/create") if n % 2 == 0 else (order, "orders/paid")
        email = f"shopper{n}@example.com"
        customer = {**body["customer"], "id": 10_000_000 + n, "email": email, "phone": None}
        payload = {**body, "id": 5_000_000 + n, "token": f"tok{n}", "email": email, "phone": None, "customer": customer}
        raw = json.dumps(payload).encode()
        signature = base64.b64encode(hmac.new(SECRET.encode(), raw, hashlib.sha256).digest()).decode()
        headers = {
            "Content-Type": "application/json",
            "X-Shopify-Topic": topic,
            "X-Shopify-Hmac-Sha256": signature,
            "X-Shopify-Shop-Domain": "bench.myshopify.com",
            "X-Shopify-Webhook-Id": f"bench-{n}",
        }
        out.append((headers, raw))
    return out


def configure(env: dict[str, str]) -> None:
    """The app secret, stored encrypted as Settings does it, before the server starts."""
    os.environ.update(env)
    from app.core import context
    from app.core.settings import get_settings
    from app.integrations import config

    get_settings.cache_clear()
    ctx = context.init(get_settings())
    config.save_secret(ctx, "shopify", SECRET, actor="bench")
    context.close()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--webhooks", type=int, default=2_000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--latency", type=int, default=300)
    parser.add_argument("--crm-contacts", type=int, default=100_000, help="0: skip the CRM import figure")
    parser.add_argument("--uplift-contacts", type=int, default=20_000, help="0: skip the holdout uplift figure")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="parcours-integrations-"))
    port = free_port()
    env = server_env(workdir, port)
    configure(env)
    proc = start_server(workdir, env, port)
    url = f"http://127.0.0.1:{port}/integrations/shopify/webhooks"
    try:
        timed = deliveries(args.latency, 0)
        bulk = deliveries(args.webhooks, args.latency)
        with httpx.Client(timeout=30) as client:
            for headers, raw in timed[:20]:  # warm-up: first imports and caches
                client.post(url, content=raw, headers=headers).raise_for_status()
            latencies = []
            for headers, raw in timed[20:]:
                start = time.perf_counter()
                client.post(url, content=raw, headers=headers).raise_for_status()
                latencies.append((time.perf_counter() - start) * 1000)

        def send(chunk: list[tuple[dict[str, str], bytes]]) -> None:
            with httpx.Client(timeout=30) as client:
                for headers, raw in chunk:
                    client.post(url, content=raw, headers=headers).raise_for_status()

        chunks = [bulk[i :: args.clients] for i in range(args.clients)]
        start = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(send, chunks))
        seconds = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    with sqlite3.connect(workdir / "bench.db") as conn:
        stored = conn.execute("SELECT COUNT(*) FROM event").fetchone()[0]
    print(f"{len(latencies)} timed deliveries, {args.webhooks} in bulk from {args.clients} clients; {stored} events")
    summary = {
        "webhooks": args.webhooks,
        "events_stored": stored,
        "webhook_p50_ms": round(statistics.median(latencies), 2),
        "webhook_p95_ms": round(statistics.quantiles(latencies, n=20)[18], 2),
        "webhooks_per_s": round(args.webhooks / seconds, 1),
    }
    if args.crm_contacts:
        crm = last_json("crm.py", "--contacts", str(args.crm_contacts))
        summary |= {"crm_contacts": crm["contacts"], "crm_import_per_s": crm["crm_import_per_s"]}
    if args.uplift_contacts:
        uplift = last_json("uplift.py", "--contacts", str(args.uplift_contacts))
        summary |= {key: uplift[key] for key in ("true_uplift", "estimate", "interval", "uplift_interval_covers_truth")}
    print(json.dumps(summary))


def last_json(script: str, *args: str) -> dict:
    """Run another benchmark of this folder (its own process and database) and read its JSON last line."""
    done = subprocess.run(
        [sys.executable, str(Path(__file__).with_name(script)), *args], capture_output=True, text=True, check=True
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


if __name__ == "__main__":
    main()
