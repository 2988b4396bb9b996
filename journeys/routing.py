"""Winner routing for experiments: a plan whose split nodes send everyone to their declared winner.

Pure: takes a compiled plan and the active routes, returns a plan (the same object when nothing applies).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from journeys.plan import Plan

_cache: dict[tuple[int, int, tuple[tuple[str, str], ...]], Plan] = {}


def routed_config(config: Any, winner: str) -> Any:
    """The split config with the whole weight on ``winner`` (unchanged if the winner is not a variant)."""
    if winner not in {v.port for v in config.variants}:
        return config
    variants = [v.model_copy(update={"weight": 100 if v.port == winner else 0}) for v in config.variants]
    return config.model_copy(update={"variants": variants})


def apply(plan: Plan, routes: dict[tuple[int, str], str]) -> Plan:
    mine = tuple(
        sorted(
            (node, winner)
            for (journey, node), winner in routes.items()
            if journey == plan.journey_id and plan.types.get(node) == "split"
        )
    )
    if not mine:
        return plan
    key = (id(plan), plan.version_id, mine)
    found = _cache.get(key)
    if found is None:
        configs = dict(plan.configs)
        for node, winner in mine:
            configs[node] = routed_config(configs[node], winner)
        found = _cache[key] = replace(plan, configs=configs)
        if len(_cache) > 1_000:
            _cache.clear()
            _cache[key] = found
    return found
