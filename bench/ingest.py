"""Benchmark: events per second through POST /v1/batch over loopback HTTP against the real server.

    .venv/bin/python bench/ingest.py [--events 200000] [--batch 500] [--clients 4] [--users 20000] [--segments 0]
                                     [--sdk-events 20000]

Starts ``python main.py`` on a free port with a fresh database, creates an API key with the CLI, builds
the request bodies up front (so the client's JSON encoding is not timed), then posts them from a few
threads. With ``--segments N``, N saved segments (attribute, behavioural window, geofence, in turn) are
re-checked for the touched contacts of every batch. Then the real ``segment-analytics-python`` client sends
``--sdk-events`` track calls in batches of ``--batch`` (its ``upload_size``; its queue holds them all), timed
from the first call to the end of its flush: that figure is bounded by the client's own JSON work.
The last line is JSON: events, seconds, events_per_s (raw HTTP) and sdk_events_per_s; on Linux also the server's
CPU seconds for the raw HTTP part and events_per_server_cpu_s, which a busy machine disturbs far less than the
wall clock (compare builds side by side with it when other work shares the cores).
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def bodies(events: int, batch: int, users: int) -> list[bytes]:
    out = []
    for start in range(0, events, batch):
        items = [
            {
                "type": "track",
                "userId": f"user-{(start + i) % users}",
                "event": "Product Viewed" if i % 3 else "Order Completed",
                "properties": {"product_id": f"p{i % 97}", "price": 19.99, "currency": "EUR"},
                "timestamp": "2026-01-05T08:00:00Z",
                "messageId": f"bench-{start + i}",
                "context": {"os": {"name": "iOS"}},
            }
            for i in range(min(batch, events - start))
        ]
        out.append(json.dumps({"batch": items}).encode())
    return out


SEGMENT_SHAPES = (
    {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"},
    {
        "kind": "performed",
        "event": "Order Completed",
        "op": "at_least",
        "count": 2,
        "within": {"amount": 7, "unit": "days"},
    },
    {"kind": "geofence", "lat": 48.8566, "lon": 2.3522, "radius_m": 5000},
)


def create_segments(database_url: str, count: int) -> None:
    """Saved segments, written through the app's own service before the server starts (set-up, not timed)."""
    sys.path.insert(0, str(ROOT))
    from app.audience import segment_service
    from app.core import context
    from app.core.settings import Settings

    ctx = context.init(Settings(database_url=database_url, secret="bench"))
    for i in range(count):
        segment_service.save_segment(ctx, name=f"Bench {i}", condition=SEGMENT_SHAPES[i % len(SEGMENT_SHAPES)])
    context.close()


def server_env(workdir: Path, port: int) -> dict[str, str]:
    """The server's environment: a fresh database in ``workdir``, this port, no engine worker."""
    return {
        **{k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))},
        "PARCOURS_DATABASE_URL": f"sqlite:///{workdir / 'bench.db'}",
        "PARCOURS_PORT": str(port),
        "PARCOURS_SECRET": "bench",
        "PARCOURS_RUN_WORKER": "false",
    }


def start_server(workdir: Path, env: dict[str, str], port: int, processes: int = 0) -> subprocess.Popen[bytes]:
    """``python main.py`` (everything in one process), or with ``processes`` the ingestion role alone."""
    log = (workdir / "server.log").open("wb")
    role = ["ingest", "--processes", str(processes)] if processes else []
    command = [sys.executable, str(ROOT / "main.py"), *role]
    proc = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=log)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/v1/health", timeout=2).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit("server did not start; see " + str(workdir / "server.log"))


def sdk_run(url: str, key: str, events: int, batch: int, users: int) -> float:
    """Seconds for the real Segment client to deliver ``events`` track calls (raises if any batch failed)."""
    from segment.analytics.client import Client

    failures: list[Exception] = []
    client = Client(
        key,
        host=url,
        upload_size=batch,
        max_queue_size=events,
        on_error=lambda error, _items: failures.append(error),
    )
    began = time.perf_counter()
    for i in range(events):
        client.track(
            user_id=f"sdk-user-{i % users}",
            event="Product Viewed" if i % 3 else "Order Completed",
            properties={"product_id": f"p{i % 97}", "price": 19.99, "currency": "EUR"},
            context={"os": {"name": "iOS"}},
        )
    client.flush()
    client.join()
    seconds = time.perf_counter() - began
    if failures:
        raise SystemExit(f"the Segment client failed: {failures[0]}")
    return seconds


def _stat(pid: int | str) -> list[str] | None:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None


def cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) used so far by the process and its children (the ingestion role's workers);
    None where /proc is missing."""
    if _stat(pid) is None:
        return None
    parents = {int(entry.name): stat[1] for entry in Path("/proc").iterdir() if entry.name.isdigit()
               for stat in [_stat(entry.name)] if stat}  # fmt: skip
    family, total = [pid], 0.0
    while family:
        current = family.pop()
        stat = _stat(current)
        if stat is not None:
            total += (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK")
        family.extend(child for child, parent in parents.items() if parent == str(current))
    return total


def stored_events(database: Path) -> int:
    with sqlite3.connect(database) as conn:
        return conn.execute("SELECT count(*) FROM event").fetchone()[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--users", type=int, default=20_000)
    parser.add_argument("--segments", type=int, default=0)
    parser.add_argument("--sdk-events", type=int, default=20_000)
    parser.add_argument("--processes", type=int, default=0, help="serve with `main.py ingest --processes N`")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="parcours-ingest-"))
    port = free_port()
    env = server_env(workdir, port)
    key = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "apikey", "create", "bench"], env=env, capture_output=True, text=True
    ).stdout.strip()
    if args.segments:
        create_segments(env["PARCOURS_DATABASE_URL"], args.segments)
    proc = start_server(workdir, env, port, args.processes)
    try:
        payloads = bodies(args.events, args.batch, args.users)
        url = f"http://127.0.0.1:{port}/v1/batch"
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

        def send(chunk: list[bytes]) -> int:
            stored = 0
            with httpx.Client(timeout=120) as client:
                for body in chunk:
                    response = client.post(url, content=body, headers=headers)
                    response.raise_for_status()
                    stored += response.json()["stored"]
            return stored

        chunks = [payloads[i :: args.clients] for i in range(args.clients)]
        cpu_before = cpu_seconds(proc.pid)
        began = time.perf_counter()
        with ThreadPoolExecutor(args.clients) as pool:
            stored = sum(pool.map(send, chunks))
        seconds = time.perf_counter() - began
        cpu_after = cpu_seconds(proc.pid)
        sdk_seconds = sdk_run(f"http://127.0.0.1:{port}", key, args.sdk_events, args.batch, args.users)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    if stored != args.events:
        raise SystemExit(f"stored {stored} of {args.events} events")
    if stored_events(workdir / "bench.db") != args.events + args.sdk_events:
        raise SystemExit("the Segment client's events did not all land")
    cpu = None if cpu_before is None or cpu_after is None else cpu_after - cpu_before
    print(json.dumps(summary(args, stored, seconds, sdk_seconds, cpu)))


def summary(args: argparse.Namespace, stored: int, seconds: float, sdk_seconds: float, cpu: float | None) -> dict:
    """The figures; the server's CPU seconds (when known) are disturbed far less than the wall clock by a busy
    machine."""
    result = {"events": stored, "segments": args.segments, "processes": args.processes, "seconds": round(seconds, 2)}
    sdk = {"sdk_events": args.sdk_events, "sdk_seconds": round(sdk_seconds, 2)}
    rates = {"events_per_s": round(stored / seconds), "sdk_events_per_s": round(args.sdk_events / sdk_seconds)}
    if cpu is not None:
        result["server_cpu_seconds"] = round(cpu, 2)
        rates["events_per_server_cpu_s"] = round(stored / max(cpu, 0.01))
    return {**result, **sdk, **rates}


if __name__ == "__main__":
    main()
