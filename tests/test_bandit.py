"""The pure self-optimising split: shares move to the better variant, keep a floor and repeat with a seed."""

from __future__ import annotations

import pytest

from journeys import bandit
from journeys.bandit import ArmData


def test_no_conversion_yet_gives_equal_shares() -> None:
    arms = [ArmData("A", 0, 300), ArmData("B", 0, 250), ArmData("C", 0, 0)]
    allocation = bandit.allocate(arms, 0.1, seed=1)
    assert allocation.learning
    assert allocation.shares == pytest.approx({"A": 1 / 3, "B": 1 / 3, "C": 1 / 3})
    assert bandit.percents(allocation.shares, 10) == {"A": 34, "B": 33, "C": 33}


def test_shares_move_toward_the_variant_that_converts_better() -> None:
    early = bandit.allocate([ArmData("A", 2, 50), ArmData("B", 3, 50)], 0.1, seed=7)
    late = bandit.allocate([ArmData("A", 40, 1000), ArmData("B", 61, 1000)], 0.1, seed=7)
    assert 0.3 < early.shares["B"] < 0.8  # little evidence: both still get plenty
    assert late.shares["B"] > 0.85 and late.prob_best["B"] > 0.95
    assert late.rates == {"A": 0.04, "B": 0.061}
    assert sum(late.shares.values()) == pytest.approx(1)


def test_a_clear_loser_keeps_exactly_its_minimum_share() -> None:
    arms = [ArmData("A", 10, 5000), ArmData("B", 500, 5000), ArmData("C", 12, 5000)]
    allocation = bandit.allocate(arms, 0.15, seed=3)
    assert allocation.shares["A"] == pytest.approx(0.15) and allocation.shares["C"] == pytest.approx(0.15)
    assert allocation.shares["B"] == pytest.approx(0.70)
    assert bandit.percents(allocation.shares, 15) == {"A": 15, "B": 70, "C": 15}


def test_percents_never_go_below_the_floor_and_add_up_to_100() -> None:
    for seed in range(20):
        arms = [ArmData("A", 30 + seed, 900), ArmData("B", 35, 900), ArmData("C", 28, 900)]
        allocation = bandit.allocate(arms, 0.2, seed=seed)
        whole = bandit.percents(allocation.shares, 20)
        assert sum(whole.values()) == 100 and min(whole.values()) >= 20


def test_the_same_seed_gives_the_same_allocation_and_another_seed_may_not() -> None:
    arms = [ArmData("A", 20, 500), ArmData("B", 24, 500)]
    first = bandit.allocate(arms, 0.1, seed=bandit.seed_for(4, "split", 3600))
    again = bandit.allocate(arms, 0.1, seed=bandit.seed_for(4, "split", 3600))
    other = bandit.allocate(arms, 0.1, seed=bandit.seed_for(4, "split", 7200))
    assert first == again
    assert other.shares != first.shares


def test_a_floor_too_high_for_the_number_of_variants_is_refused() -> None:
    with pytest.raises(ValueError, match="min_share"):
        bandit.allocate([ArmData("A", 1, 10), ArmData("B", 1, 10), ArmData("C", 1, 10)], 0.4, seed=1)


def test_choose_follows_the_percent_slices() -> None:
    weights = [("A", 10), ("B", 90)]
    assert bandit.choose(weights, 0.05) == "A"
    assert bandit.choose(weights, 0.10) == "B"
    assert bandit.choose(weights, 0.999) == "B"
