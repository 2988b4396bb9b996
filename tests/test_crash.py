"""A real worker process killed with SIGKILL at random moments, then restarted: every message is
delivered exactly once to the OneSignal stub, nothing lost and nothing twice."""

from __future__ import annotations

import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

from app.delivery.workspace import save_policy
from journeys.policy import DeliveryPolicy, QuietHours
from storage.engine_models import OutboxMessage
from tests.conftest import ROOT, child_env
from tests.engine_support import add_contacts, journey, publish, track
from tests.stub_servers import OneSignalStub

CONTACTS_PER_CYCLE = 250
CYCLES = 6


def start_worker(stub: OneSignalStub, log: Path, **extra: str) -> subprocess.Popen[bytes]:
    env = child_env(
        **extra,
        PARCOURS_ONESIGNAL_APP_ID="crash-app",
        PARCOURS_ONESIGNAL_API_KEY="crash-key",
        PARCOURS_ONESIGNAL_HOST=stub.url,
        PARCOURS_ENGINE_INTERVAL_S="0.2",
        PARCOURS_ENGINE_BATCH_SIZE="100",
        PARCOURS_DISPATCH_BATCH_SIZE="40",
        PARCOURS_DISPATCH_LEASE_S="1",
        PARCOURS_DISPATCH_RETRY_BASE_S="1",
        PARCOURS_PROVIDER_TIMEOUT_S="2",
    )
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "worker"], env=env, stdout=out, stderr=out)


def pending(ctx) -> tuple[int, int]:
    table = OutboxMessage.__table__
    with ctx.db.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(table)).scalar_one()
        done = conn.execute(select(func.count()).where(table.c.status == "sent")).scalar_one()
    return total, done


def test_worker_killed_at_random_points_delivers_every_message_exactly_once(ctx, tmp_path) -> None:
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(enabled=False), rate_limits={"onesignal": 1000}))
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("push", "message.push", {"body": "Hello {{ contact.first_name }}"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "push"), ("push", "next", "done")],
    )
    publish(ctx, doc)
    stub = OneSignalStub().start()
    stub.delay = 0.01
    log = tmp_path / "worker.log"
    rng = random.Random(20261125)
    everyone: list[str] = []
    try:
        for _cycle in range(CYCLES):
            ids = add_contacts(ctx, CONTACTS_PER_CYCLE)
            everyone += [f"user-{i}" for i in ids]
            track(ctx, ids, "go")
            worker = start_worker(stub, log)
            time.sleep(rng.uniform(0.8, 2.5))  # a real process runs on the wall clock
            worker.send_signal(signal.SIGKILL)
            worker.wait(timeout=10)
        worker = start_worker(stub, log)
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            total, sent = pending(ctx)
            if total == len(everyone) and sent == total:
                break
            time.sleep(0.3)
        worker.send_signal(signal.SIGTERM)
        worker.wait(timeout=30)
    finally:
        stub.stop()
    print(f"requests={len(stub.requests)} replays={len(stub.requests) - len(stub.deliveries)}")
    assert pending(ctx) == (len(everyone), len(everyone)), log.read_text()[-3000:]
    delivered = stub.delivered_to()
    assert sorted(delivered) == sorted(everyone)
    assert len(set(delivered)) == len(delivered)
