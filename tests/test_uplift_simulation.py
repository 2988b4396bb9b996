"""The issue's check: a 10% holdout on 20,000 simulated contacts, through the real engine and conversion
recording, reports an uplift whose 95% interval covers the truth the simulation set (seeded)."""

from __future__ import annotations

from app.simulation.holdout import Truth, simulate


def test_holdout_of_ten_percent_on_20000_contacts_reports_an_interval_covering_the_true_uplift(ctx) -> None:
    outcome = simulate(ctx, contacts=20_000, holdout_percent=10, seed=18)
    assert outcome.treated + outcome.held_out == 20_000
    assert 0.09 < outcome.held_out / 20_000 < 0.11
    assert outcome.interval[0] <= outcome.true_uplift <= outcome.interval[1]
    assert outcome.interval[0] > 0  # and it tells a journey that works from one that does nothing
    assert outcome.rate_interval[0] <= 0.04 <= outcome.rate_interval[1]


def test_a_journey_that_changes_nothing_gets_an_interval_around_zero(ctx) -> None:
    outcome = simulate(ctx, contacts=5_000, holdout_percent=20, seed=7, truth=Truth(lift=0.0))
    assert outcome.true_uplift == 0
    assert outcome.interval[0] <= 0 <= outcome.interval[1]
