"""Experiment statistics against textbook values (scipy as the reference implementation)."""

from __future__ import annotations

import math
import random

import pytest
from scipy import stats as sp

from journeys.stats import (
    EXACT_LIMIT,
    Arm,
    compare_to_control,
    difference_interval,
    prob_b_beats_a,
    prob_exact,
    prob_normal,
    two_proportion_ztest,
)


def reference_ztest(c1: int, n1: int, c2: int, n2: int) -> tuple[float, float]:
    pooled = (c1 + c2) / (n1 + n2)
    z = (c2 / n2 - c1 / n1) / math.sqrt(pooled * (1 - pooled) * (1 / n1 + 1 / n2))
    return z, 2 * sp.norm.sf(abs(z))


@pytest.mark.parametrize(("c1", "n1", "c2", "n2"), [(50, 1000, 80, 1000), (200, 5000, 230, 5000), (7, 90, 3, 110)])
def test_ztest_matches_reference(c1: int, n1: int, c2: int, n2: int) -> None:
    z, p = two_proportion_ztest(c1, n1, c2, n2)
    ref_z, ref_p = reference_ztest(c1, n1, c2, n2)
    assert z == pytest.approx(ref_z, rel=1e-9)
    assert p == pytest.approx(ref_p, rel=1e-6)


def test_ztest_equals_chi_square_without_continuity_correction() -> None:
    # z^2 of the pooled two-proportion test is the 2x2 chi-square statistic (a textbook identity).
    z, p = two_proportion_ztest(50, 1000, 80, 1000)
    chi2, chi_p, _, _ = sp.chi2_contingency([[50, 950], [80, 920]], correction=False)
    assert z**2 == pytest.approx(chi2, rel=1e-9)
    assert p == pytest.approx(chi_p, rel=1e-6)


def test_textbook_example_is_significant_at_five_percent() -> None:
    z, p = two_proportion_ztest(50, 1000, 80, 1000)
    assert z == pytest.approx(2.7211, abs=1e-4)
    assert p == pytest.approx(0.00651, abs=1e-5)


def test_difference_interval_uses_normal_quantile() -> None:
    low, high = difference_interval(50, 1000, 80, 1000, 0.95)
    se = math.sqrt(0.05 * 0.95 / 1000 + 0.08 * 0.92 / 1000)
    assert low == pytest.approx(0.03 - sp.norm.ppf(0.975) * se, rel=1e-9)
    assert high == pytest.approx(0.03 + sp.norm.ppf(0.975) * se, rel=1e-9)


@pytest.mark.parametrize(("c1", "n1", "c2", "n2"), [(10, 100, 15, 100), (50, 1000, 80, 1000), (3, 40, 2, 40)])
def test_probability_to_beat_matches_numerical_integration(c1: int, n1: int, c2: int, n2: int) -> None:
    from scipy import integrate

    a, b = sp.beta(1 + c1, 1 + n1 - c1), sp.beta(1 + c2, 1 + n2 - c2)
    ref, _ = integrate.quad(lambda x: b.pdf(x) * a.cdf(x), 0, 1, limit=200)
    assert prob_b_beats_a(c1, n1, c2, n2) == pytest.approx(ref, abs=1e-6)


def test_normal_approximation_agrees_with_exact_where_it_takes_over() -> None:
    args = (EXACT_LIMIT - 200, 400_000, EXACT_LIMIT - 50, 400_000)
    assert prob_normal(*args) == pytest.approx(prob_exact(*args), abs=1e-3)
    assert 0.7 < prob_b_beats_a(*args) < 0.9


def test_equal_arms_have_even_odds() -> None:
    assert prob_b_beats_a(40, 800, 40, 800) == pytest.approx(0.5, abs=1e-9)


def _simulate(rate: float, n: int, rng: random.Random) -> int:
    return sum(rng.random() < rate for _ in range(n))


def test_real_difference_is_declared_and_no_difference_is_not() -> None:
    rng = random.Random(7)
    arms = [Arm("control", _simulate(0.05, 4000, rng), 4000, control=True), Arm("B", _simulate(0.08, 4000, rng), 4000)]
    decision = compare_to_control(arms, min_sample=1000)
    assert decision.ready and decision.winner == "B"
    same = [Arm("control", _simulate(0.05, 4000, rng), 4000, control=True), Arm("B", _simulate(0.05, 4000, rng), 4000)]
    assert compare_to_control(same, min_sample=1000).winner is None


def test_no_decision_before_minimum_sample() -> None:
    decision = compare_to_control([Arm("c", 5, 100, control=True), Arm("B", 40, 100)], min_sample=1000)
    assert not decision.ready and decision.winner is None


def test_bonferroni_correction_with_several_variants() -> None:
    # p ≈ 0.042 for B: significant alone, not when three variants share the 5% error budget.
    arms = [Arm("c", 100, 2000, control=True), Arm("B", 130, 2000)]
    assert compare_to_control(arms).winner == "B"
    arms += [Arm("C", 100, 2000), Arm("D", 101, 2000)]
    assert compare_to_control(arms).winner is None
