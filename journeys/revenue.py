"""Revenue of goal events and who is held out of messages (pure: no database, no network).

A conversion carries the revenue of its goal event: ``revenue`` (Segment e-commerce spec), else ``total``,
else ``value``, in the event's ``currency`` (default: the workspace currency), converted to the workspace
currency with the rate table of the settings. A currency without a rate is kept as it is, never guessed.

Holdouts: a deterministic share of contacts gets no messages but is still tracked. The workspace control group
(by contact id) is held out of every marketing message; a journey's holdout (by journey and contact id, so a
new version keeps the same people) of that journey's messages.
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, field_validator

AMOUNT_KEYS = ("revenue", "total", "value")
CURRENCY = r"^[A-Z]{3}$"
BUCKETS = 10_000
MAX_SHARE = 50
# What the engine writes on an enrollment and in its context ("control") when it is held out.
HOLDOUT = "holdout"
CONTROL_GROUP = "control_group"


class RevenuePolicy(BaseModel):
    """Workspace currency, exchange rates (1 unit of a currency = rate × workspace currency), control group."""

    model_config = ConfigDict(extra="forbid")

    currency: str = Field(default="EUR", pattern=CURRENCY, description="Workspace currency (ISO 4217 code)")
    rates: dict[str, float] = Field(default_factory=dict, description="Rate per currency code, into the workspace's")
    control_group_percent: int = Field(
        default=0, ge=0, le=MAX_SHARE, description="Share of contacts held out of all marketing messages"
    )

    @field_validator("rates")
    @classmethod
    def _rates(cls, value: dict[str, float]) -> dict[str, float]:
        for code, rate in value.items():
            if len(code) != 3 or not code.isalpha() or not code.isupper():
                raise ValueError(f"{code!r} is not a currency code (three capital letters, e.g. USD)")
            if not math.isfinite(rate) or rate <= 0:
                raise ValueError(f"the rate of {code} must be a positive number")
        return value


@dataclass(frozen=True)
class Money:
    amount: float
    currency: str


def event_amount(properties: dict[str, Any]) -> Money | None:
    """The revenue an event states, in its own currency (``currency`` may be missing: ``""``)."""
    for key in AMOUNT_KEYS:
        value = properties.get(key)
        if isinstance(value, bool) or value is None:
            continue
        try:
            amount = float(value)
        except (TypeError, ValueError):
            continue
        if math.isfinite(amount):
            code = properties.get("currency")
            return Money(amount, code.strip().upper()[:3] if isinstance(code, str) else "")
    return None


def convert(money: Money, policy: RevenuePolicy) -> Money:
    """Into the workspace currency when a rate is known; as it is otherwise (shown as unconverted)."""
    code = money.currency or policy.currency
    if code == policy.currency:
        return Money(round(money.amount, 4), code)
    rate = policy.rates.get(code)
    if rate is None:
        return Money(money.amount, code)
    return Money(round(money.amount * rate, 4), policy.currency)


def _bucket(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "big") % BUCKETS


def in_share(percent: int, *parts: object) -> bool:
    """Whether this key falls in the first ``percent`` % of buckets (same key, same answer, always)."""
    return percent > 0 and _bucket(":".join(str(p) for p in parts)) < percent * BUCKETS // 100


def held_out(contact_id: int, journey_id: int, journey_percent: int, control_percent: int) -> str:
    """``control_group``, ``holdout`` or ``""`` (gets the journey's messages)."""
    if in_share(control_percent, "control", contact_id):
        return CONTROL_GROUP
    if in_share(journey_percent, "holdout", journey_id, contact_id):
        return HOLDOUT
    return ""
