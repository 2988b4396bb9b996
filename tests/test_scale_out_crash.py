"""Three real worker processes on PostgreSQL, one of them killed with SIGKILL at random moments and started
again while the others run: every message is delivered exactly once to the OneSignal stub."""

from __future__ import annotations

import random
import signal
import time

import pytest

from app.delivery.workspace import save_policy
from journeys.policy import DeliveryPolicy, QuietHours
from tests.engine_support import add_contacts, journey, publish, track
from tests.stub_servers import OneSignalStub
from tests.test_crash import pending, start_worker

CONTACTS_PER_CYCLE = 150
CYCLES = 6
WORKERS = 3


@pytest.mark.postgres_only
def test_three_workers_one_killed_at_random_deliver_every_message_exactly_once(ctx, tmp_path) -> None:
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
    log = tmp_path / "workers.log"
    rng = random.Random(20261204)
    everyone: list[str] = []
    extra = {"PARCOURS_WORKER_LEASE_S": "3"}
    workers = [start_worker(stub, log, **extra) for _ in range(WORKERS)]
    try:
        for _cycle in range(CYCLES):
            ids = add_contacts(ctx, CONTACTS_PER_CYCLE)
            everyone += [f"user-{i}" for i in ids]
            track(ctx, ids, "go")
            time.sleep(rng.uniform(0.5, 2.0))  # real processes run on the wall clock
            victim = rng.randrange(WORKERS)
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait(timeout=10)
            workers[victim] = start_worker(stub, log, **extra)
        deadline = time.monotonic() + 120
        while time.monotonic() < deadline:
            total, sent = pending(ctx)
            if total == len(everyone) and sent == total:
                break
            time.sleep(0.3)
    finally:
        for worker in workers:
            worker.send_signal(signal.SIGTERM)
        for worker in workers:
            worker.wait(timeout=30)
        stub.stop()
    assert pending(ctx) == (len(everyone), len(everyone)), log.read_text()[-3000:]
    delivered = stub.delivered_to()
    assert sorted(delivered) == sorted(everyone)
    assert len(set(delivered)) == len(delivered)
