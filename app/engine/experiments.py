"""Experiments on split nodes: decide winners when windows close, route new entrants, undo a routing.

The decision uses journeys/stats.compare_to_control (two-proportion z-test, Bonferroni-corrected, decided
once per experiment after its window closes and every arm reached its minimum sample: no peeking).
Every decision and undo is logged; the analytics page shows it with an undo button.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from app.access import audit
from app.core.context import AppContext
from app.engine import optimiser
from journeys import stats
from journeys.plan import Plan
from journeys.routing import Route
from storage import experiments as store
from storage import partitions

log = logging.getLogger("parcours.experiments")


@dataclass
class Outcome:
    journey_id: int
    node_id: str
    decision: stats.Decision
    closed: bool


def _experiment_nodes(plan: Plan) -> list[tuple[str, Any]]:
    return [
        (node, plan.configs[node])
        for node, kind in plan.types.items()
        if kind == "split" and getattr(plan.configs[node], "experiment", None) is not None
    ]


def assess(conn: Any, plan: Plan, node_id: str, config: Any, now: int) -> Outcome:
    experiment = config.experiment
    metric = "first_click" if experiment.metric == "click" else "converted"
    exposures, successes, _day = store.arms_data(conn, plan.journey_id, node_id, metric)
    arms = [stats.Arm(v.port, successes.get(v.port, 0), exposures.get(v.port, 0), v.control) for v in config.variants]
    start = store.first_assignment(conn, plan.journey_id, node_id)
    closed = start is not None and now >= start + experiment.window_days * 86_400
    decision = stats.compare_to_control(arms, min_sample=experiment.min_sample)
    return Outcome(plan.journey_id, node_id, decision, closed)


def decide(ctx: AppContext, conn: Any, plans: list[Plan], now: int) -> dict[tuple[int, str], str]:
    """Declare winners whose windows closed (once per split node), then return the active routes."""
    decided = {(r.journey_id, r.node_id) for r in store.routes(conn)}
    for plan in plans:
        for node_id, config in _experiment_nodes(plan):
            if (plan.journey_id, node_id) in decided or not config.experiment.send_rest_to_winner:
                continue
            outcome = assess(conn, plan, node_id, config, now)
            winner = outcome.decision.winner
            if not outcome.closed or winner is None:
                continue
            store.add_route(
                conn,
                journey_id=plan.journey_id,
                version_id=plan.version_id,
                node_id=node_id,
                winner=winner,
                now=now,
                summary=outcome.decision.reason,
            )
            log.info(
                "journey %s split %s: %s; new entrants go to %s",
                plan.journey_id,
                node_id,
                outcome.decision.reason,
                winner,
            )
    return store.active_routes(conn)


def refresh_routes(engine: Any) -> dict[tuple[int, str], Route]:
    """For the engine, once per pass: decide what is due and load the active winner routes, plus the current
    shares of optimised splits (a declared winner takes precedence over the shares)."""
    with engine.ctx.db.engine.begin() as conn:
        partitions.serialise(conn, "experiments.decide")  # one worker decides at a time: no winner twice
        engine.routes = {}  # decide on the journeys' own plans, not on plans already routed
        plans, _live = engine._running(conn)
        found: dict[tuple[int, str], Route] = dict(decide(engine.ctx, conn, list(plans.values()), engine.now()))
        for key, weights in optimiser.allocations(conn, list(plans.values()), engine.now()).items():
            found.setdefault(key, weights)
        return found


def revert(ctx: AppContext, route_id: int, *, actor: str = "system") -> bool:
    """Undo a winner routing: contacts reaching the split are divided by its weights again (audited)."""
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.begin() as conn:
        done = store.revert_route(conn, route_id, now)
    if done:
        log.info("experiment route %s undone", route_id)
        audit.record(ctx, actor, "experiment.revert", f"route:{route_id}")
    return done


def routes(ctx: AppContext, journey_id: int) -> list[Any]:
    with ctx.db.engine.connect() as conn:
        return store.routes(conn, journey_id)
