"""The APScheduler runtime: a wake-up from ingestion runs the engine and the dispatcher at once."""

from __future__ import annotations

import asyncio
import time

from app.core import runtime, wakeup
from tests.engine_support import add_contacts, journey, outbox, publish, track


async def test_events_arrived_wakes_the_engine_without_waiting_for_the_interval(ctx) -> None:
    ctx.settings.engine_interval_s = 3600  # only a wake-up can explain a prompt run
    ids = add_contacts(ctx, 1)
    doc = journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", "message.push", {"body": "Hi"}), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
    )
    publish(ctx, doc)
    running = runtime.start(ctx)
    try:
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and running.ticks < 1:  # the start-up pass (real scheduler)
            await asyncio.sleep(0.05)
        assert running.ticks == 1
        track(ctx, ids, "go")
        wakeup.events_arrived()
        deadline = time.monotonic() + 15
        while time.monotonic() < deadline and not [m for m in outbox(ctx) if m.status == "sandbox"]:
            await asyncio.sleep(0.1)  # a real background thread, not simulated time
    finally:
        await asyncio.to_thread(runtime.stop)
    assert [(m.contact_id, m.status) for m in outbox(ctx)] == [(ids[0], "sandbox")]
