"""Weighted random split, deterministic per contact, journey and node: a retry never flips a variant."""

from __future__ import annotations

import hashlib
from typing import Any

from journeys.steps.types import Decision, Env, State

BUCKETS = 10_000


def bucket(contact_id: int, journey_id: int, node_id: str) -> int:
    digest = hashlib.blake2b(f"{journey_id}:{node_id}:{contact_id}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big") % BUCKETS


def assign(config: Any, contact_id: int, journey_id: int, node_id: str) -> Any:
    """The variant for this contact; weights are percentages adding up to 100."""
    point = bucket(contact_id, journey_id, node_id)
    upper = 0
    for variant in config.variants:
        upper += variant.weight * BUCKETS // 100
        if point < upper:
            return variant
    return config.variants[-1]


def split(config: Any, state: State, _env: Env) -> Decision:
    variant = assign(config, state.contact_id, state.journey_id, state.node_id)
    updates: dict[str, Any] = {"variant": variant.port}
    if variant.control:
        updates["control"] = state.context.get("control") or True  # a holdout stays one (its own skip reason)
    return Decision.go(variant.port, outcome="assigned", reason=variant.port, context_updates=updates)
