"""Routing of split nodes: everyone to an experiment's declared winner, or an optimised split's current shares.

Pure: takes a compiled plan and the active routes, returns a plan (the same object when nothing applies).
A route is a winner's port, or the percent weights of an optimised split as ``((port, percent), ...)``.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from journeys.plan import Plan

Weights = tuple[tuple[str, int], ...]
Route = str | Weights
_cache: dict[tuple[int, int, tuple[tuple[str, Route], ...]], Plan] = {}


def routed_config(config: Any, winner: str) -> Any:
    """The split config with the whole weight on ``winner`` (unchanged if the winner is not a variant)."""
    if winner not in {v.port for v in config.variants}:
        return config
    variants = [v.model_copy(update={"weight": 100 if v.port == winner else 0}) for v in config.variants]
    return config.model_copy(update={"variants": variants})


def weighted_config(config: Any, weights: Weights) -> Any:
    """The split config with the given percent weights (unchanged unless they name exactly its variants)."""
    given = dict(weights)
    if set(given) != {v.port for v in config.variants} or sum(given.values()) != 100:
        return config
    variants = [v.model_copy(update={"weight": given[v.port]}) for v in config.variants]
    return config.model_copy(update={"variants": variants})


def apply(plan: Plan, routes: dict[tuple[int, str], Route]) -> Plan:
    mine = tuple(
        sorted(
            (
                (node, route)
                for (journey, node), route in routes.items()
                if journey == plan.journey_id and plan.types.get(node) == "split"
            ),
            key=lambda item: item[0],
        )
    )
    if not mine:
        return plan
    key = (id(plan), plan.version_id, mine)
    found = _cache.get(key)
    if found is None:
        configs = dict(plan.configs)
        for node, route in mine:
            if isinstance(route, str):
                configs[node] = routed_config(configs[node], route)
            else:
                configs[node] = weighted_config(configs[node], route)
        found = _cache[key] = replace(plan, configs=configs)
        if len(_cache) > 1_000:
            _cache.clear()
            _cache[key] = found
    return found
