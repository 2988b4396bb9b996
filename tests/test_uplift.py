"""Uplift statistics over a holdout, checked against values worked out by hand and by the statistics module."""

from __future__ import annotations

import math
import statistics

import pytest

from journeys.revenue import Money, RevenuePolicy, convert, event_amount, held_out
from journeys.uplift import Group, incremental_revenue, mean_difference, rate_difference


def _group(values: list[float]) -> Group:
    return Group(len(values), sum(1 for v in values if v), sum(values), sum(v * v for v in values))


def test_rate_difference_matches_the_textbook_wald_interval() -> None:
    interval = rate_difference(Group(1000, 200), Group(1000, 150))
    assert interval is not None
    se = math.sqrt(0.2 * 0.8 / 1000 + 0.15 * 0.85 / 1000)  # 0.016956
    assert interval.estimate == pytest.approx(0.05)
    assert interval.low == pytest.approx(0.05 - 1.959964 * se, abs=1e-6)
    assert interval.high == pytest.approx(0.083233, abs=1e-6)


def test_mean_difference_is_welch_on_revenue_per_contact_with_zeros_counted() -> None:
    treated, holdout = [10.0, 0, 20.0, 0, 30.0], [0, 0, 10.0, 0]
    interval = mean_difference(_group(treated), _group(holdout))
    assert interval is not None
    assert _group(treated).variance == pytest.approx(statistics.variance(treated)) == pytest.approx(170)
    se = math.sqrt(170 / 5 + 25 / 4)
    assert interval.estimate == pytest.approx(9.5)
    assert interval.low == pytest.approx(9.5 - 1.959964 * se, abs=1e-5)
    assert interval.high == pytest.approx(21.9346, abs=1e-4)


def test_incremental_revenue_scales_the_per_contact_difference_by_the_treated_contacts() -> None:
    treated, holdout = Group(900, 90, 9_000.0, 900_000.0), Group(100, 5, 500.0, 50_000.0)
    per_contact = mean_difference(treated, holdout)
    total = incremental_revenue(treated, holdout)
    assert per_contact is not None and total is not None
    assert total.estimate == pytest.approx(900 * (10 - 5))
    assert total.low == pytest.approx(per_contact.low * 900)
    assert total.covers(4_500) and not total.covers(20_000)


def test_no_interval_without_two_contacts_in_each_group() -> None:
    assert mean_difference(Group(100, 3, 30.0, 300.0), Group(1)) is None
    assert rate_difference(Group(0), Group(100, 3)) is None


def test_revenue_then_total_then_value_in_the_stated_currency() -> None:
    assert event_amount({"revenue": 12.5, "total": 99, "currency": "usd"}) == Money(12.5, "USD")
    assert event_amount({"total": "30.10"}) == Money(30.1, "")
    assert event_amount({"revenue": "n/a", "value": 4}) == Money(4.0, "")
    assert event_amount({"revenue": True}) is None
    assert event_amount({"revenue": float("nan")}) is None


def test_a_currency_without_a_rate_is_kept_never_guessed() -> None:
    policy = RevenuePolicy(currency="EUR", rates={"USD": 0.5})
    assert convert(Money(100, "USD"), policy) == Money(50, "EUR")
    assert convert(Money(100, ""), policy) == Money(100, "EUR")
    assert convert(Money(100, "GBP"), policy) == Money(100, "GBP")


def test_rates_must_be_positive_and_named_by_codes() -> None:
    with pytest.raises(ValueError, match="rate of USD"):
        RevenuePolicy(rates={"USD": 0})
    with pytest.raises(ValueError, match="currency code"):
        RevenuePolicy(rates={"dollars": 1.0})


def test_holdout_is_deterministic_and_close_to_its_share() -> None:
    picks = [held_out(c, 7, 10, 0) for c in range(20_000)]
    assert picks == [held_out(c, 7, 10, 0) for c in range(20_000)]
    assert 0.09 < picks.count("holdout") / 20_000 < 0.11
    assert [held_out(c, 8, 10, 0) for c in range(200)] != picks[:200]  # another journey, other people
    assert all(held_out(c, 7, 0, 0) == "" for c in range(1000))
    group = [held_out(c, 7, 10, 5) for c in range(20_000)]
    assert 0.04 < group.count("control_group") / 20_000 < 0.06
