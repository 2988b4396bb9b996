"""Self-optimising splits: the current shares of every optimised split node, for the engine and the page.

The shares of a period (``refresh_hours`` long) come from the entrants and goal conversions counted before
the period started, with Thompson sampling seeded by journey, node and period (journeys/bandit.py). So within
a period the shares do not move, and a retry or replay of a step routes a contact the same way (the contact's
point in [0, 1) is a hash of journey, node and contact, see journeys/nodes/split.bucket).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from app.core.context import AppContext
from journeys import bandit
from journeys.metrics import DAY, HOUR
from journeys.nodes.split import Config as SplitConfig
from journeys.plan import Plan
from journeys.routing import Weights
from storage import experiments as store
from storage import funnel_queries as q


@dataclass(frozen=True)
class SplitReport:
    """What the analytics page shows for one optimised split node."""

    node_id: str
    allocation: bandit.Allocation
    percents: dict[str, int]
    exposures: dict[str, int]
    history: list[tuple[int, dict[str, float]]]  # (day start, variant -> share of that day's entrants)
    refresh_hours: int


def period_start(config: Any, now: int) -> int:
    span = config.refresh_hours * HOUR
    return now - now % span


def current(conn: Any, journey_id: int, node_id: str, config: Any, now: int) -> tuple[bandit.Allocation, dict]:
    """The allocation in force at ``now`` and the entrants per variant it was computed from."""
    start = period_start(config, now)
    exposures, successes = store.arms_before(conn, journey_id, node_id, start)
    arms = tuple(bandit.ArmData(v.port, successes.get(v.port, 0), exposures.get(v.port, 0)) for v in config.variants)
    seed = bandit.seed_for(journey_id, node_id, start)
    return _allocate(arms, config.min_share / 100, seed), exposures


@lru_cache(maxsize=1_024)
def _allocate(arms: tuple[bandit.ArmData, ...], min_share: float, seed: int) -> bandit.Allocation:
    """The same counts and seed give the same shares: the engine asks every pass, the draws run once a period."""
    return bandit.allocate(list(arms), min_share, seed)


def weights(config: Any, allocation: bandit.Allocation) -> Weights:
    shares = bandit.percents(allocation.shares, config.min_share)
    return tuple((v.port, shares[v.port]) for v in config.variants)


def optimised_nodes(plan: Plan) -> list[tuple[str, Any]]:
    return [
        (node, plan.configs[node])
        for node, kind in plan.types.items()
        if kind == "split" and getattr(plan.configs[node], "optimise", False)
    ]


def allocations(conn: Any, plans: list[Plan], now: int) -> dict[tuple[int, str], Weights]:
    """For the engine, once per pass: the percent weights of every optimised split of the given plans."""
    found: dict[tuple[int, str], Weights] = {}
    for plan in plans:
        for node_id, config in optimised_nodes(plan):
            allocation, _exposures = current(conn, plan.journey_id, node_id, config, now)
            found[(plan.journey_id, node_id)] = weights(config, allocation)
    return found


def _history(conn: Any, journey_id: int, node_id: str) -> list[tuple[int, dict[str, float]]]:
    days: dict[int, dict[str, int]] = {}
    for period, variant, count in store.entrants_by_period(conn, journey_id, node_id, DAY):
        days.setdefault(period, {})[variant] = count
    return [(day, {v: n / sum(counts.values()) for v, n in counts.items()}) for day, counts in days.items()]


def reports(ctx: AppContext, journey_id: int) -> list[SplitReport]:
    """Every optimised split of the journey's current version: its shares now, why, and its shares by day."""
    now = int(ctx.clock.now().timestamp())
    out = []
    with ctx.db.engine.connect() as conn:
        _name, doc = q.journey_document(conn, journey_id)
        for node in (doc or {}).get("nodes", []):
            if node.get("type") != "split" or not (node.get("config") or {}).get("optimise"):
                continue
            try:
                config = SplitConfig.model_validate(node["config"])
            except ValueError:
                continue  # an invalid draft setting is reported by validation, not here
            node_id = str(node["id"])
            allocation, exposures = current(conn, journey_id, node_id, config, now)
            shares = dict(weights(config, allocation))
            history = _history(conn, journey_id, node_id)
            out.append(SplitReport(node_id, allocation, shares, exposures, history, config.refresh_hours))
    return out
