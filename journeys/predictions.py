"""Predicted scores as the rest of the core reads them: goal slugs, risk bands, the ``predicted`` condition.

A model per goal event (``Order Completed`` -> ``order_completed``) gives each contact a score, the chance of
doing the goal within the model's horizon, and a band (high, medium, low) by thresholds on that score. Where
there is no score (no model for the goal, or a contact scored before it existed) a condition does not match, a
template shows nothing, and the journey goes on: a prediction never blocks anyone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

BANDS = ("high", "medium", "low")
SLUG_PATTERN = r"^[a-z0-9_]+$"
# What templates and conditions call the scores: ``predicted.order_completed`` and ``..._band``.
VARIABLE = "predicted"
BAND_SUFFIX = "_band"
MODEL_MISSING = "model_missing"
SCORE_OPS = ("gte", "gt", "lt", "lte")
# The tests condition editors offer, each as one choice: its (measure, operator).
TESTS = {"band": ("band", "eq"), "gte": ("score", "gte"), "lt": ("score", "lt")}
_MENTION = re.compile(r"\bpredicted\.")


def slug(event: str) -> str:
    """``Order Completed`` -> ``order_completed``: the name a goal's score goes by."""
    ascii_name = unicodedata.normalize("NFKD", event).encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "_", ascii_name).strip("_")[:80]


def band(score: float, thresholds: Mapping[str, float]) -> str:
    """``high`` at or above the high threshold, ``medium`` at or above the medium one, else ``low``."""
    if score >= thresholds["high"]:
        return "high"
    return "medium" if score >= thresholds["medium"] else "low"


class PredictedCondition(BaseModel):
    """A contact's predicted score (0 to 1) for a goal, or its band: ``predicted.order_completed >= 0.5``."""

    model_config = ConfigDict(extra="forbid")

    kind: Literal["predicted"] = "predicted"
    goal: str = Field(min_length=1, max_length=80, pattern=SLUG_PATTERN)
    measure: Literal["score", "band"] = "score"
    op: Literal["gte", "gt", "lt", "lte", "eq", "in"] = "gte"
    value: Any = None

    @model_validator(mode="after")
    def _value_fits(self) -> PredictedCondition:
        if self.measure == "band":
            values = self.value if isinstance(self.value, list) else [self.value]
            if self.op not in ("eq", "in") or not values or any(v not in BANDS for v in values):
                raise ValueError("a band condition is 'eq' or 'in' one of high, medium, low")
        elif (
            self.op not in SCORE_OPS
            or isinstance(self.value, bool)
            or not isinstance(self.value, int | float)
            or not 0 <= self.value <= 1
        ):
            raise ValueError("a score condition compares with a number from 0 to 1 (gte, gt, lt, lte)")
        return self


def matches(condition: PredictedCondition, found: Mapping[str, Any] | None) -> bool:
    """Whether a contact's prediction for the goal (``{"score", "band"}`` or None) meets the condition."""
    if not found:
        return False
    if condition.measure == "band":
        allowed = condition.value if isinstance(condition.value, list) else [condition.value]
        return found.get("band") in allowed
    score, bound = float(found.get("score", 0.0)), float(condition.value)
    return {"gte": score >= bound, "gt": score > bound, "lt": score < bound}.get(condition.op, score <= bound)


def goals_read(tree: Any) -> set[str]:
    """The goals a condition tree's ``predicted`` leaves read."""
    out: set[str] = set()
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, PredictedCondition):
            out.add(node.goal)
        stack.extend(getattr(node, "conditions", []) or [])
    return out


def liquid_values(predicted: Mapping[str, Mapping[str, Any]]) -> dict[str, Any]:
    """``{{ predicted.order_completed }}`` (the score, 3 decimals) and ``{{ predicted.order_completed_band }}``."""
    out: dict[str, Any] = {}
    for goal_slug, found in predicted.items():
        out[goal_slug] = round(float(found["score"]), 3)
        out[goal_slug + BAND_SUFFIX] = found["band"]
    return out


def mentions(text: str) -> bool:
    """Whether a template reads predictions (so the engine loads them)."""
    return _MENTION.search(text) is not None
