"""The live demo: simulated traffic through the real ingestion service and simulated answers to messages.

While the demo is on, an APScheduler job (``run_tick``, next to the engine's) plays what happened since its
last run: the seeded population's Segment calls go through ``tracking_service.ingest`` like any app's, and
messages sent to the "Simulated (demo)" provider are delivered, opened, clicked and converted (a goal event,
again through ingestion) on the timeline app/simulation/responses.py gives them. Engagement is recorded
exactly as provider callbacks and tracking links record it. The cursor lives in the database, and every
simulated call has a deterministic messageId, so a crash or a restart repeats nothing.
"""

from __future__ import annotations

import logging
import zlib
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from app.access import audit
from app.core.context import AppContext, current
from app.delivery.providers import simulated
from app.delivery.workspace import load_policy, save_policy
from app.simulation.population import Population
from app.simulation.responses import MAX_DELAY_S, ResponseModel, fate
from app.tracking import service as tracking_service
from app.tracking.payloads import Track
from journeys.clock import FrozenClock
from storage import contacts_queries as contacts
from storage import demo as demo_store
from storage import engagement
from storage.workspace import get_setting, put_setting

log = logging.getLogger("parcours.demo")
SETTING_KEY = simulated.SETTING_KEY
TICK_S = 5
CATCH_UP_S = 3600  # after a long stop, play at most the last hour
MODEL = ResponseModel()


@dataclass
class TickResult:
    events: int = 0
    engagement: int = 0
    conversions: int = 0


def state(ctx: AppContext) -> dict[str, Any]:
    with ctx.db.session() as session:
        return get_setting(session, key=SETTING_KEY) or {}


def is_live(ctx: AppContext) -> bool:
    return bool(state(ctx).get("live"))


def stop(ctx: AppContext, *, actor: str = "system") -> bool:
    """Stop the simulated traffic and answers; restores the quiet hours the demo switched off. False if off."""
    current_state = state(ctx)
    if not current_state.get("live"):
        return False
    if current_state.get("quiet_hours_were_on"):
        policy = load_policy(ctx)
        policy.quiet_hours.enabled = True
        save_policy(ctx, policy, actor=actor)
    with ctx.db.session() as session:
        value = {**current_state, "live": False, "quiet_hours_were_on": False}
        put_setting(session, key=SETTING_KEY, value=value, now=ctx.clock.now())
        audit.record(ctx, actor, "demo.stop", SETTING_KEY, session=session)
    return True


def tick(ctx: AppContext) -> TickResult:
    """Play everything simulated between the stored cursor and now; nothing when the demo is off."""
    demo = state(ctx)
    if not demo.get("live"):
        return TickResult()
    now = ctx.clock.now()
    cursor = datetime.fromtimestamp(int(demo.get("cursor") or now.timestamp()), UTC)
    start = max(cursor, now - timedelta(seconds=CATCH_UP_S))
    if now <= start:
        return TickResult()
    seed = int(demo.get("seed", 7))
    result = TickResult()
    with ctx.db.session() as session:
        people = contacts.external_ids(session, prefix=simulated.DEMO_PREFIX)
    calls = [e.segment() for e in Population(people, seed=seed).events(start, now)]
    goals, result.engagement = _answers(ctx, seed, int(start.timestamp()), int(now.timestamp()))
    result.events, result.conversions = len(calls), len(goals)
    _ingest(ctx, sorted(calls + goals, key=lambda c: (c["timestamp"], c["messageId"])))
    with ctx.db.session() as session:
        put_setting(session, key=SETTING_KEY, value={**demo, "cursor": int(now.timestamp())}, now=now)
    return result


def _ingest(ctx: AppContext, calls: list[dict[str, Any]]) -> None:
    for start in range(0, len(calls), 500):
        try:
            tracking_service.ingest(ctx, [Track.model_validate(c) for c in calls[start : start + 500]])
        except tracking_service.IngestError:  # every call refused (people erased since): as an app, move on
            log.info("demo calls refused: %s", calls[start]["messageId"])


def _answers(ctx: AppContext, seed: int, lo: int, hi: int) -> tuple[list[dict[str, Any]], int]:
    """Record deliveries, opens and clicks due in (lo, hi]; return the goal events due then, and the count."""
    goals: list[dict[str, Any]] = []
    recorded = 0
    with ctx.db.engine.begin() as conn:
        rows = demo_store.sent_between(conn, simulated.NAME, since=lo - MAX_DELAY_S, until=hi)
        goal_events = demo_store.goal_events(conn, {r.version_id for r in rows})
        for row in rows:
            for step in fate(MODEL, seed=seed, message_id=row.message_id, channel=row.channel, variant=row.variant):
                at = int(row.sent_at + step.after_s)
                if not lo < at <= hi:
                    continue
                if step.metric != "converted":
                    reason = "simulated_bounce" if step.metric == "failed" else ""
                    recorded += engagement.record(conn, row, step.metric, at, reason)
                elif goal_events.get(row.version_id) and row.payload.get("external_id"):
                    goals.append(_goal_call(row, goal_events[row.version_id], at))
    return goals, recorded


def _goal_call(row: Any, event: str, at: int) -> dict[str, Any]:
    properties: dict[str, Any] = {"source": "simulated"}
    if event == "Order Completed":
        properties |= {"revenue": round(20 + zlib.crc32(row.message_id.encode()) % 30_000 / 100, 2), "currency": "EUR"}
    return {
        "type": "track",
        "userId": row.payload["external_id"],
        "event": event,
        "properties": properties,
        "timestamp": datetime.fromtimestamp(at, UTC).isoformat(),
        "messageId": f"sim-goal-{row.message_id}"[:200],
    }


def run_tick() -> None:
    """The APScheduler job: never raises (the next run plays the same range again)."""
    try:
        tick(current())
    except RuntimeError:  # not initialised or shutting down
        return
    except Exception:
        log.exception("demo tick failed")


def replay(ctx: AppContext, clock: FrozenClock, *, seconds: int, step_s: int = 10) -> TickResult:
    """Move a frozen clock forward in steps, running the demo's job and the engine's as the runtime would
    (scheduled entries once a simulated minute). For tests and ``demo load --replay-minutes``."""
    from app.core.runtime import Runtime

    runtime = Runtime(ctx)
    total = TickResult()
    try:
        for step in range(max(seconds // step_s, 1)):
            before = clock.now()
            clock.advance(seconds=step_s)
            done = tick(ctx)
            total.events += done.events
            total.engagement += done.engagement
            total.conversions += done.conversions
            runtime.tick()  # first: scheduled entries use the delivery policy this pass loads
            if step == 0 or int(before.timestamp()) // 60 != int(clock.now().timestamp()) // 60:
                runtime.entries()
    finally:
        runtime.dispatcher.close()
    return total
