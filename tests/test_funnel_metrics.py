"""Step log and metric buckets: written with the engine's batches, equal to a recount of the log."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from app.analytics import funnels
from journeys.metrics import DAY, HOUR
from storage import funnel_queries as q
from tests.engine_support import add_contacts, publish, run, track
from tests.funnel_support import experiment_doc, simulate


def _hour_to_day(buckets: dict) -> Counter:
    out: Counter = Counter()
    for (journey, period, *rest), count in buckets.items():
        out[(journey, period - period % DAY, *rest)] += count
    return out


def test_counters_equal_a_recount_of_the_step_log_after_a_randomised_run(ctx) -> None:
    journey_id = publish(ctx, experiment_doc())
    simulate(ctx, journey_id, people=600, rates={"A": 0.2, "B": 0.3}, seed=7, hours=30)
    with ctx.db.engine.connect() as conn:
        recount = q.recount(conn)
        daily = q.bucket_counts(conn, DAY)
        hourly = q.bucket_counts(conn, HOUR)
    assert sum(recount.values()) > 2_000
    assert daily == recount
    assert dict(_hour_to_day(hourly)) == recount
    metrics = {key[6] for key in recount}
    assert {"enrolled", "assigned", "messaged", "sent", "delivered", "converted", "completed"} <= metrics


def test_funnel_counts_entries_messages_and_conversions(ctx) -> None:
    journey_id = publish(ctx, experiment_doc())
    contacts = add_contacts(ctx, 10)
    track(ctx, contacts, "signup")
    run(ctx)
    track(ctx, contacts[:3], "purchase")
    track(ctx, contacts[:1], "purchase")  # a second purchase does not convert twice
    run(ctx, after=timedelta(minutes=5))
    view = funnels.journey_analytics(ctx, journey_id)
    steps = {s.key: s.count for s in view.steps}
    assert steps["entry"] == 10
    assert steps["mail_a"] + steps["mail_b"] == 10
    assert steps["push"] == 0
    assert steps["conversion"] == 3
    assert view.in_progress == 10
    run(ctx, after=timedelta(days=1, minutes=1))
    view = funnels.journey_analytics(ctx, journey_id)
    assert {s.key: s.count for s in view.steps}["push"] == 10
    assert view.totals["completed"] == 10
    assert view.in_progress == 0


def test_goal_event_after_the_window_does_not_convert(ctx) -> None:
    journey_id = publish(ctx, experiment_doc())
    contacts = add_contacts(ctx, 4)
    track(ctx, contacts, "signup")
    run(ctx)
    run(ctx, after=timedelta(days=1, minutes=1))  # the push goes out: the window restarts from it
    run(ctx, after=timedelta(days=7, minutes=1))
    track(ctx, contacts, "purchase")
    run(ctx)
    assert funnels.journey_analytics(ctx, journey_id).totals.get("converted", 0) == 0


def test_conversion_is_attributed_to_variant_and_last_message(ctx) -> None:
    journey_id = publish(ctx, experiment_doc())
    contacts = add_contacts(ctx, 20)
    track(ctx, contacts, "signup")
    run(ctx)
    run(ctx, after=timedelta(days=1, minutes=1))
    track(ctx, contacts, "purchase")
    run(ctx)
    from sqlalchemy import select

    from storage.funnel_models import Conversion

    with ctx.db.engine.connect() as conn:
        rows = list(conn.execute(select(Conversion.__table__)))
    assert len(rows) == 20
    assert {r.node_id for r in rows} == {"push"}
    assert {r.variant for r in rows} == {"A", "B"}
    assert all(r.message_id == f"{journey_id}-{r.contact_id}-1-push" for r in rows)
