"""Scale-out on PostgreSQL: engine workers and ingestion processes, one and two of each, same database.

    .venv/bin/python bench/scale.py [--contacts 1000000] [--events 200000] [--server postgresql+psycopg://...]

Workers: ``--contacts`` contacts (and their triggering events) are written with COPY, then 1 (and then 2, on a
fresh copy) real engine workers (app/engine/engine.Engine in processes of their own, each with its own worker
identity and its lease of the contact partitions) take them through bench/engine.py's 6-node journey: entry,
push, wait 1 h, branch, email, exit. Their clock is moved (an hour passes between the two phases), never
waited for. Ingestion: ``python main.py ingest --processes N`` for N = 1, 2 takes ``--events`` through
``/v1/batch`` from 4 client threads. CPU seconds come from /proc for every process, PostgreSQL's included
(run it on an otherwise idle machine: other PostgreSQL work counts too).
The JSON last line has worker_steps_per_s_1/_2, worker_speedup, ingest_events_per_s_1/_2, ingest_speedup,
cpu_per_step_ratio (2 workers over 1), duplicates, contacts, peak_rss_mb (the largest worker process),
ingest_peak_rss_mb (the largest ingest process). ``--ingest-only`` measures ingestion alone.
"""

from __future__ import annotations

import argparse
import io
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import ingest as ingest_bench  # noqa: E402
from engine import JOURNEY  # noqa: E402

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
TICK = os.sysconf("SC_CLK_TCK")


def libpq(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def database(server: str, name: str) -> str:
    """A fresh, migrated database ``name`` on the server; its SQLAlchemy URL."""
    from sqlalchemy.engine import make_url

    from storage.db import Database

    with psycopg.connect(libpq(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    url = make_url(server).set(database=name).render_as_string(hide_password=False)
    db = Database(url)
    db.migrate()
    db.dispose()
    return url


def drop(server: str, name: str) -> None:
    with psycopg.connect(libpq(server), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def populate(url: str, contacts: int) -> None:
    """Publish the journey, then COPY the contacts and one triggering event each (set-up, not measured)."""
    from app.authoring import service as journey_service
    from app.core import context
    from app.core.settings import Settings
    from journeys.clock import FrozenClock

    ctx = context.init(Settings(database_url=url, secret="bench"), FrozenClock(START), migrate=False)
    journey_service.publish(ctx, journey_service.import_journey(ctx, json.dumps(JOURNEY)))
    context.close()
    stamp = (START - timedelta(minutes=1)).replace(tzinfo=None).isoformat(sep=" ")
    consent = json.dumps({"push": "subscribed", "email": "subscribed"})
    with psycopg.connect(libpq(url)) as conn, conn.cursor() as cur:
        for start in range(1, contacts + 1, 100_000):
            ids = range(start, min(start + 100_000, contacts + 1))
            rows = io.StringIO()
            for i in ids:
                attributes = json.dumps({"first_name": f"N{i}", "plan": "pro" if i % 2 else "free"})
                rows.write(f"{i}\tu{i}\tu{i}@example.com\t{attributes}\t{consent}\t{stamp}\t{stamp}\n")
            with cur.copy("COPY contact (id, external_id, email, attributes, consent, created_at, updated_at)"
                          " FROM STDIN") as copy:  # fmt: skip
                copy.write(rows.getvalue())
            with cur.copy("COPY event (contact_id, name, properties, timestamp, received_at) FROM STDIN") as copy:
                copy.write("".join(f"{i}\tcheckout_started\t{{}}\t{stamp}\t{stamp}\n" for i in ids))
        cur.execute("SELECT setval('contact_id_seq', %s)", (contacts,))
        cur.execute("ANALYZE")
        conn.commit()


def proc_cpu(pid: int | str) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def postgres_cpu() -> float:
    """CPU seconds used so far by every PostgreSQL process of this machine (the server's share of the work)."""
    total = 0.0
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if (entry / "comm").read_text().strip() == "postgres":
                    total += proc_cpu(entry.name)
            except OSError:
                continue
    return total


# ---- one worker process -------------------------------------------------------------------------------
def worker_main(url: str, index: int, workers: int, batch: int) -> None:
    """Run in a process of its own: wait for every worker, hold a fair share, then two phases on cue."""
    from app.core import context
    from app.core.settings import Settings
    from app.engine.engine import Engine
    from journeys.clock import FrozenClock

    clock = FrozenClock(START)
    ctx = context.init(Settings(database_url=url, secret="bench", worker_lease_s=7_200), clock, migrate=False)
    engine = Engine(ctx, batch_size=batch, worker=f"bench-{index}")
    share = 16 // workers
    while len(engine.leases.held(force=True)) != share:  # the others give back what is beyond their share
        time.sleep(0.05)  # waiting for the other real processes to register, not for simulated time
    print("ready", flush=True)
    steps = 0
    for phase in (1, 2):
        sys.stdin.readline()  # the cue: everyone starts each phase together
        if phase == 2:
            clock.advance(timedelta(hours=1, seconds=1))
        steps += engine.run(max_batches=10**9)
        print(f"done {steps}", flush=True)
    context.close()
    print(json.dumps({"steps": steps, "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def run_workers(url: str, workers: int, batch: int) -> dict[str, float]:
    command = [sys.executable, __file__, "--worker-of", url, "--workers", str(workers), "--batch", str(batch)]
    procs = [
        subprocess.Popen([*command, "--index", str(i)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        for i in range(workers)
    ]
    for proc in procs:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
    cpu_before = sum(proc_cpu(p.pid) for p in procs) + postgres_cpu()
    wall = 0.0
    for _phase in (1, 2):
        began = time.perf_counter()
        for proc in procs:
            assert proc.stdin is not None
            proc.stdin.write("go\n")
            proc.stdin.flush()
        for proc in procs:
            assert proc.stdout is not None
            line = proc.stdout.readline()
            if not line.startswith("done"):
                raise SystemExit(f"a worker failed: {line!r}")
        wall += time.perf_counter() - began
    cpu = sum(proc_cpu(p.pid) for p in procs) + postgres_cpu() - cpu_before
    finals = []
    for proc in procs:
        assert proc.stdout is not None and proc.stdin is not None
        proc.stdin.close()
        finals.append(json.loads(proc.stdout.readline()))
        proc.wait(timeout=120)
    steps = sum(f["steps"] for f in finals)
    return {
        "steps": steps,
        "seconds": wall,
        "steps_per_s": steps / wall,
        "cpu_per_step_us": cpu / steps * 1e6,
        "peak_rss_mb": max(f["peak_rss_mb"] for f in finals),
        "per_worker_steps": [f["steps"] for f in finals],
    }


def duplicates(url: str) -> dict[str, int]:
    with psycopg.connect(libpq(url)) as conn:
        twice_entered = conn.execute(
            "SELECT count(*) FROM (SELECT contact_id FROM enrollment GROUP BY journey_id, contact_id"
            " HAVING count(*) > 1) t"
        ).fetchone()[0]
        twice_sent = conn.execute(
            "SELECT count(*) FROM (SELECT contact_id FROM outbox GROUP BY contact_id, node_id HAVING count(*) > 1) t"
        ).fetchone()[0]
        finished = conn.execute("SELECT count(*) FROM enrollment WHERE status = 'done'").fetchone()[0]
    return {"duplicates": twice_entered + twice_sent, "finished": finished}


def ingest_run(server: str, processes: int, events: int) -> dict[str, float]:
    name = f"parcours_bench_ingest_{processes}"
    url = database(server, name)
    workdir = Path(tempfile.mkdtemp(prefix="parcours-scale-"))
    port = ingest_bench.free_port()
    env = {**ingest_bench.server_env(workdir, port), "PARCOURS_DATABASE_URL": url}
    key = subprocess.run(
        [sys.executable, str(ROOT / "main.py"), "apikey", "create", "bench"], env=env, capture_output=True, text=True
    ).stdout.strip()
    proc = ingest_bench.start_server(workdir, env, port, processes)
    try:
        payloads = ingest_bench.bodies(events, 500, 20_000)
        headers = {"Content-Type": "application/json", "Authorization": f"Bearer {key}"}

        def send(chunk: list[bytes]) -> int:
            with httpx.Client(timeout=120) as client:
                return sum(
                    client.post(f"http://127.0.0.1:{port}/v1/batch", content=b, headers=headers).json()["stored"]
                    for b in chunk
                )

        cpu_before = (ingest_bench.cpu_seconds(proc.pid) or 0) + postgres_cpu()
        began = time.perf_counter()
        with ThreadPoolExecutor(4) as pool:
            stored = sum(pool.map(send, [payloads[i::4] for i in range(4)]))
        seconds = time.perf_counter() - began
        cpu = (ingest_bench.cpu_seconds(proc.pid) or 0) + postgres_cpu() - cpu_before
        peak_mb = max(peak_rss_mb(pid) for pid in family(proc.pid))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
        drop(server, name)
    if stored != events:
        raise SystemExit(f"ingestion stored {stored} of {events} events")
    return {"events_per_s": events / seconds, "cpu_per_event_us": cpu / events * 1e6, "peak_rss_mb": peak_mb}


def family(pid: int) -> list[int]:
    """``pid`` and its children (the ingestion role's processes)."""
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout.split()
    return [pid, *(int(child) for child in children)]


def peak_rss_mb(pid: int) -> float:
    """The highest resident set of a live process so far (VmHWM), in MB; 0 when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contacts", type=int, default=1_000_000)
    parser.add_argument("--events", type=int, default=200_000)
    parser.add_argument("--batch", type=int, default=5_000)
    parser.add_argument("--server", default=os.environ.get("PARCOURS_TEST_POSTGRES_URL") or DEFAULT_SERVER)
    parser.add_argument("--ingest-only", action="store_true", help="measure the ingest processes alone")
    parser.add_argument("--worker-of", help=argparse.SUPPRESS)
    parser.add_argument("--workers", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--index", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker_of:
        worker_main(args.worker_of, args.index, args.workers, args.batch)
        return
    if args.ingest_only:
        ingests = {processes: ingest_run(args.server, processes, args.events) for processes in (1, 2)}
        speedup = ingests[2]["events_per_s"] / ingests[1]["events_per_s"]
        print(json.dumps({**{f"ingest_events_per_s_{n}": round(r["events_per_s"]) for n, r in ingests.items()},
                          "ingest_speedup": round(speedup, 2)}))  # fmt: skip
        return
    runs, dupes, finished = {}, 0, {}
    for workers in (1, 2):
        name = f"parcours_bench_scale_{workers}"
        url = database(args.server, name)
        populate(url, args.contacts)
        runs[workers] = run_workers(url, workers, args.batch)
        found = duplicates(url)
        dupes += found["duplicates"]
        if found["finished"] != args.contacts:
            print(f"warning: {found['finished']} of {args.contacts} contacts finished", flush=True)
        finished[workers] = found["finished"]
        print(f"{workers} worker(s): {json.dumps({**runs[workers], **found})}", flush=True)
        drop(args.server, name)
    ingests = {}
    for processes in (1, 2):
        ingests[processes] = ingest_run(args.server, processes, args.events)
        print(f"{processes} ingest process(es): {json.dumps(ingests[processes])}", flush=True)
    print(json.dumps({
        "contacts": args.contacts,
        "worker_steps_per_s_1": round(runs[1]["steps_per_s"]),
        "worker_steps_per_s_2": round(runs[2]["steps_per_s"]),
        "worker_speedup": round(runs[2]["steps_per_s"] / runs[1]["steps_per_s"], 2),
        "ingest_events_per_s_1": round(ingests[1]["events_per_s"]),
        "ingest_events_per_s_2": round(ingests[2]["events_per_s"]),
        "ingest_speedup": round(ingests[2]["events_per_s"] / ingests[1]["events_per_s"], 2),
        "cpu_per_step_us_1": round(runs[1]["cpu_per_step_us"], 1),
        "cpu_per_step_us_2": round(runs[2]["cpu_per_step_us"], 1),
        "cpu_per_step_ratio": round(runs[2]["cpu_per_step_us"] / runs[1]["cpu_per_step_us"], 3),
        "cpu_per_event_us_1": round(ingests[1]["cpu_per_event_us"], 1),
        "cpu_per_event_us_2": round(ingests[2]["cpu_per_event_us"], 1),
        "duplicates": dupes,
        "finished_1": finished[1],
        "finished_2": finished[2],
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs.values()), 1),
        "ingest_peak_rss_mb": round(max(r["peak_rss_mb"] for r in ingests.values()), 1),
        "required": {"worker_speedup": 1.3, "ingest_speedup": 1.3, "cpu_per_step_ratio_max": 1.15, "duplicates": 0},
    }))  # fmt: skip


if __name__ == "__main__":
    main()
