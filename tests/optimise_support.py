"""A journey with an optimised split, for the engine and page tests."""

from __future__ import annotations

from typing import Any

from tests.funnel_support import experiment_doc


def optimised_doc(name: str = "Welcome test", **split: Any) -> dict:
    """The experiment journey (A/B split, goal purchase) with its split optimised automatically, 10% floor."""
    doc = experiment_doc(name=name)
    node = next(n for n in doc["nodes"] if n["id"] == "split")
    node["config"] = {
        "variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}],
        "optimise": True,
        "min_share": 10,
        "refresh_hours": 1,
        **split,
    }
    return doc
