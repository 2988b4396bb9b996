"""Self-optimising splits: Thompson sampling on the goal conversion, with a minimum share per variant. Pure.

Each variant's conversion rate has a Beta(1 + conversions, 1 + non-converted) posterior. The probability that
a variant is the best is estimated by drawing once from every posterior many times (seeded, so the same data
and seed give the same answer) and counting how often each variant's draw is the highest. The allocation gives
every variant its minimum share and divides the rest in proportion to those probabilities:

    share_i = min_share + (1 - k * min_share) * P(i is best)

Without any conversion yet every variant gets the same share.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass

DRAWS = 4_000


@dataclass(frozen=True)
class ArmData:
    name: str
    conversions: int
    exposures: int

    @property
    def rate(self) -> float:
        return self.conversions / self.exposures if self.exposures else 0.0


@dataclass(frozen=True)
class Allocation:
    shares: dict[str, float]  # variant -> share of new entrants, adding up to 1
    prob_best: dict[str, float]  # variant -> probability it converts best
    rates: dict[str, float]  # variant -> observed conversion rate
    learning: bool  # True while there is no conversion yet (equal shares)


def seed_for(journey_id: int, node_id: str, period: int) -> int:
    """A seed per journey, split node and allocation period: recomputing a period gives the same allocation."""
    digest = hashlib.blake2b(f"bandit:{journey_id}:{node_id}:{period}".encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big")


def prob_best(arms: list[ArmData], seed: int, draws: int = DRAWS) -> dict[str, float]:
    rng = random.Random(seed)
    wins = [0] * len(arms)
    params = [(1 + a.conversions, 1 + max(0, a.exposures - a.conversions)) for a in arms]
    for _ in range(draws):
        samples = [rng.betavariate(alpha, beta) for alpha, beta in params]
        wins[samples.index(max(samples))] += 1
    return {arm.name: won / draws for arm, won in zip(arms, wins, strict=True)}


def allocate(arms: list[ArmData], min_share: float, seed: int, draws: int = DRAWS) -> Allocation:
    """Shares of new entrants per variant; ``min_share`` is a fraction (0.1 for 10%), with k * min_share <= 1."""
    if not arms:
        return Allocation({}, {}, {}, True)
    if min_share < 0 or min_share * len(arms) > 1 + 1e-9:
        raise ValueError("min_share times the number of variants must be between 0 and 1")
    rates = {a.name: a.rate for a in arms}
    if not any(a.conversions for a in arms):
        equal = {a.name: 1 / len(arms) for a in arms}
        return Allocation(equal, dict(equal), rates, True)
    best = prob_best(arms, seed, draws)
    free = 1 - min_share * len(arms)
    shares = {name: min_share + free * p for name, p in best.items()}
    return Allocation(shares, best, rates, False)


def percents(shares: dict[str, float], minimum: int = 0) -> dict[str, int]:
    """Whole percentages adding up to 100 (largest remainder), none below ``minimum`` when the shares are not."""
    if not shares:
        return {}
    raw = {name: share * 100 for name, share in shares.items()}
    whole = {name: max(minimum, int(value)) for name, value in raw.items()}
    order = sorted(raw, key=lambda name: raw[name] - int(raw[name]), reverse=True)
    i = 0
    while sum(whole.values()) < 100:
        whole[order[i % len(order)]] += 1
        i += 1
    while sum(whole.values()) > 100:  # only when a floor at ``minimum`` pushed the total over
        name = max(whole, key=lambda n: whole[n])
        whole[name] -= 1
    return whole


def choose(weights: list[tuple[str, int]], point: float) -> str:
    """The variant whose slice of [0, 1) holds ``point``, slices in order and sized by percent weights."""
    upper = 0.0
    for name, weight in weights:
        upper += weight / 100
        if point < upper:
            return name
    return weights[-1][0]
