"""How people answer messages: delivery, opens, clicks and conversions at realistic, seeded rates.

``fate`` gives one message's timeline from a random source seeded by (seed, message id), so a message's
outcome never depends on when or how often it is asked for. Rates are shares of delivered messages.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field

MAX_DELAY_S = 2 * 3600  # nothing happens to a message later than this after it was sent


@dataclass(frozen=True)
class ChannelRates:
    delivered: float
    opened: float
    clicked: float


@dataclass(frozen=True)
class ResponseModel:
    rates: dict[str, ChannelRates] = field(
        default_factory=lambda: {
            "push": ChannelRates(delivered=0.95, opened=0.08, clicked=0.0),
            "email": ChannelRates(delivered=0.98, opened=0.25, clicked=0.04),
            "sms": ChannelRates(delivered=0.97, opened=0.0, clicked=0.06),
        }
    )
    # Chance that an engaged (or merely reached) person completes the journey's goal.
    convert_after_click: float = 0.4
    convert_after_open: float = 0.35
    convert_otherwise: float = 0.025
    # A/B variants that simply work better, so a split shows a result (variant port -> multiplier).
    variant_lift: dict[str, float] = field(default_factory=lambda: {"B": 2.0})


@dataclass(frozen=True)
class Step:
    after_s: float  # seconds after the send
    metric: str  # delivered | failed | opened | clicked | converted


def fate(model: ResponseModel, *, seed: int, message_id: str, channel: str, variant: str = "") -> list[Step]:
    """The timeline of one message, in order; ``converted`` means the goal event happens then."""
    rates = model.rates.get(channel)
    if rates is None:
        return []
    rng = random.Random(f"{seed}:{message_id}")
    lift = model.variant_lift.get(variant, 1.0)
    delivered_at = rng.uniform(1, 20)
    if rng.random() >= rates.delivered:
        return [Step(delivered_at, "failed")]
    steps = [Step(delivered_at, "delivered")]
    engaged_at = delivered_at + min(5 + rng.expovariate(1 / 60), MAX_DELAY_S / 2)
    roll = rng.random()
    if roll < rates.clicked * lift:
        steps.append(Step(engaged_at, "clicked"))
        convert = model.convert_after_click
    elif roll < (rates.clicked + rates.opened) * lift:
        steps.append(Step(engaged_at, "opened"))
        convert = model.convert_after_open
    else:
        engaged_at, convert = delivered_at, model.convert_otherwise
    if rng.random() < min(convert * lift, 1.0):
        steps.append(Step(min(engaged_at + 15 + rng.expovariate(1 / 90), MAX_DELAY_S), "converted"))
    return steps
