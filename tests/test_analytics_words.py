"""Analytics in words (A/B verdicts, time labels) and the dashboard's daily totals against the buckets."""

from __future__ import annotations

from datetime import timedelta

from app.analytics import funnels
from app.analytics.words import period_labels, verdict
from app.delivery.dispatch import Dispatcher
from app.engine.engine import Engine
from app.i18n import language
from journeys.metrics import DAY, HOUR
from journeys.stats import Arm
from storage import funnel_queries as q
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc


def rows(control: tuple[int, int], variant: tuple[int, int]) -> list[funnels.VariantRow]:
    """(conversions, exposures) of A (the control) and B, compared by the same statistics as the page."""
    return funnels.compare_rows([Arm("A", *control, control=True), Arm("B", *variant)])


def test_verdict_names_the_likely_better_variant_with_its_confidence() -> None:
    a, b = rows((120, 1200), (148, 1200))
    assert verdict(b, a, min_sample=1000) == "Variant B converts 23% better than A; 96% confidence: B is likely better"
    a, b = rows((100, 1000), (70, 1000))
    assert verdict(b, a, min_sample=1000) == "Variant B converts 30% worse than A; 99% confidence: A is likely better"
    a, b = rows((100, 1000), (105, 1000))
    assert verdict(b, a, min_sample=1000) == "Variant B converts 5% better than A; 64% confidence: no clear winner yet"
    a, b = rows((100, 1000), (123, 1000))
    assert verdict(b, a, min_sample=1000, metric="click") == (
        "Variant B gets 23% more clicks than A; 94% confidence: no clear winner yet"
    )


def test_verdict_waits_for_the_minimum_sample_and_speaks_french() -> None:
    a, b = rows((10, 300), (30, 250))  # a large gap, but the smaller group is far from the minimum
    assert verdict(b, a, min_sample=1000) == (
        "Variant B against A: not enough data yet (250 of 1,000 contacts in the smaller group)."
    )
    token = language.set("fr")
    try:
        a, b = rows((120, 1200), (148, 1200))
        assert verdict(b, a, min_sample=1000) == (
            "La variante B convertit 23 % mieux que A ; confiance 96 % : B est probablement meilleure"
        )
        assert period_labels([0, DAY * 40], DAY) == ["1 janv.", "10 févr."]
    finally:
        language.reset(token)


def test_period_labels_are_unique_and_readable_for_any_range() -> None:
    start = 1_764_720_000  # 3 Dec 2025 00:00 UTC
    assert period_labels([start + h * HOUR for h in range(24)], HOUR)[13:15] == ["13:00", "14:00"]
    two_days = period_labels([start + h * HOUR for h in range(48)], HOUR)
    assert two_days[14] == "3 Dec 14:00" and two_days[38] == "4 Dec 14:00" and len(set(two_days)) == 48
    assert period_labels([start - DAY * 40, start], DAY) == ["24 Oct", "3 Dec"]
    assert period_labels([start - DAY * 365, start], DAY) == ["3 Dec 2024", "3 Dec 2025"]


def test_dashboard_daily_totals_equal_the_daily_buckets_the_engine_writes(ctx) -> None:
    """The per-journey daily totals are bumped with the buckets, so both always hold the same numbers."""
    journey_id = publish(ctx, experiment_doc(name="Welcome series"))
    other = publish(ctx, experiment_doc(name="Second"))
    contacts = add_contacts(ctx, 30)
    dispatcher = Dispatcher(ctx, providers={})
    try:
        for day in range(3):
            track(ctx, contacts[day * 10 : day * 10 + 10], "signup")
            Engine(ctx).run()
            dispatcher.run()
            track(ctx, contacts[day * 10 : day * 10 + 3], "purchase")
            Engine(ctx).run()
            ctx.clock.advance(timedelta(days=1))
    finally:
        dispatcher.close()
    now = int(ctx.clock.now().timestamp())
    start, end = now - now % DAY - 3 * DAY, now - now % DAY + DAY
    with ctx.db.engine.connect() as conn:
        daily = q.daily_totals(conn, journey_ids=[journey_id, other], start=start, end=end)
        buckets = q.journey_totals(conn, journey_ids=[journey_id, other], start=start, end=end)
        series = q.daily_series(conn, metric="enrolled", journey_ids=[journey_id], start=start, end=end)
    assert daily == buckets
    assert daily[journey_id]["enrolled"] == 30 and daily[journey_id]["converted"] == 9
    assert sorted(series[journey_id].values()) == [10, 10, 10]
    rows = {r.name: r for r in funnels.dashboard(ctx, start=start, end=end)}
    assert (rows["Welcome series"].enrolled, rows["Welcome series"].converted) == (30, 9)
    assert rows["Welcome series"].spark == [10, 10, 10, 0]
    assert rows["Welcome series"].in_progress == 10  # the last day's ten still wait for their push
