"""Uplift over a holdout, pure functions: what a journey added compared with contacts who got no messages.

Conversion uplift is a difference of proportions (Wald interval, unpooled: ``stats.difference_interval``).
Revenue uplift is a difference of means of revenue per contact (contacts who did not convert count as 0)
with Welch's standard error and a normal approximation, which holds at the sample sizes where a holdout
means anything (hundreds of contacts per group). Incremental revenue is that difference times the treated
contacts: what the treated group earned beyond what it would have earned without messages.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

from journeys.stats import difference_interval

MIN_GROUP = 2  # a variance needs two contacts


@dataclass(frozen=True)
class Group:
    """One group of entrants: how many, how many converted, and their revenue (sum and sum of squares)."""

    entrants: int
    conversions: int = 0
    revenue: float = 0.0
    revenue_squares: float = 0.0

    @property
    def rate(self) -> float:
        return self.conversions / self.entrants if self.entrants else 0.0

    @property
    def mean(self) -> float:
        return self.revenue / self.entrants if self.entrants else 0.0

    @property
    def variance(self) -> float:
        """Sample variance of revenue per contact (zeros included)."""
        n = self.entrants
        if n < MIN_GROUP:
            return 0.0
        return max(0.0, (self.revenue_squares - self.revenue * self.revenue / n) / (n - 1))

    def mean_margin(self, confidence: float = 0.95) -> float:
        """Half-width of the interval of the mean revenue per contact (0 below two contacts)."""
        return _z(confidence) * math.sqrt(self.variance / self.entrants) if self.entrants >= MIN_GROUP else 0.0


@dataclass(frozen=True)
class Interval:
    estimate: float
    low: float
    high: float

    def scaled(self, factor: float) -> Interval:
        return Interval(self.estimate * factor, self.low * factor, self.high * factor)

    def covers(self, value: float) -> bool:
        return self.low <= value <= self.high


def _z(confidence: float) -> float:
    return NormalDist().inv_cdf(0.5 + confidence / 2)


def mean_difference(treated: Group, holdout: Group, confidence: float = 0.95) -> Interval | None:
    """Revenue per contact, treated minus holdout, with a Welch (normal) interval; None if a group is too small."""
    if treated.entrants < MIN_GROUP or holdout.entrants < MIN_GROUP:
        return None
    diff = treated.mean - holdout.mean
    se = math.sqrt(treated.variance / treated.entrants + holdout.variance / holdout.entrants)
    margin = _z(confidence) * se
    return Interval(diff, diff - margin, diff + margin)


def rate_difference(treated: Group, holdout: Group, confidence: float = 0.95) -> Interval | None:
    """Conversion rate, treated minus holdout (absolute), with a Wald interval; None if a group is too small."""
    if treated.entrants < MIN_GROUP or holdout.entrants < MIN_GROUP:
        return None
    low, high = difference_interval(
        holdout.conversions, holdout.entrants, treated.conversions, treated.entrants, confidence
    )
    return Interval(treated.rate - holdout.rate, low, high)


def incremental_revenue(treated: Group, holdout: Group, confidence: float = 0.95) -> Interval | None:
    """Revenue the treated contacts brought beyond the holdout's rate: the per-contact difference × treated."""
    per_contact = mean_difference(treated, holdout, confidence)
    return None if per_contact is None else per_contact.scaled(treated.entrants)
