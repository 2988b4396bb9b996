"""Prediction features from a small hand-made history, read as of a cutoff on the real database."""

from __future__ import annotations

import math
from datetime import timedelta

from sqlalchemy import insert

from storage import prediction_features as features
from storage.funnel_models import StepLog
from tests.engine_support import add_contacts, track


def _log(ctx, contact_id: int, metric: str, days_ago: float) -> None:
    at = int((ctx.clock.now() - timedelta(days=days_ago)).timestamp())
    row = {"journey_id": 1, "version_id": 1, "contact_id": contact_id, "entry_no": 1, "node_id": "push"}
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(StepLog.__table__), [{**row, "metric": metric, "at": at, "channel": "push"}])


def test_features_count_recency_money_windows_and_engagement_as_of_the_cutoff(ctx) -> None:
    ann, bob, quiet = add_contacts(ctx, 3)
    start = ctx.clock.now()
    track(ctx, [ann, bob], "App Opened")  # day 0
    ctx.clock.advance(timedelta(days=50))
    track(ctx, [ann], "Order Completed", revenue=30.5)  # day 50
    ctx.clock.advance(timedelta(days=35))
    track(ctx, [ann], "Order Completed", total=20)  # day 85: total when there is no revenue
    track(ctx, [ann], "Order Completed", revenue="lots")  # not a number: counted as an order, no money
    track(ctx, [bob], "App Opened")
    ctx.clock.advance(timedelta(days=3))
    track(ctx, [ann], "App Opened")  # day 88
    _log(ctx, ann, "opened", 2)
    _log(ctx, ann, "clicked", 40)
    _log(ctx, bob, "sent", 1)
    ctx.clock.advance(timedelta(days=2))
    track(ctx, [ann, bob], "App Opened")  # day 90: after the cutoff, never counted
    cutoff = start + timedelta(days=89)

    with ctx.db.engine.connect() as conn:
        assert features.contacts_with_events(conn, cutoff) == [ann, bob]
        assert features.top_events(conn, cutoff, limit=5) == ["App Opened", "Order Completed"]
        rows = features.features(conn, cutoff, ["App Opened", "Order Completed"], [ann, bob, quiet])
        assert features.converted(conn, "App Opened", cutoff, cutoff + timedelta(days=7)) == {ann, bob}
        alone = features.features(conn, cutoff, ["App Opened", "Order Completed"], [bob])  # a chunk of one

    a, b, q = rows[ann], rows[bob], rows[quiet]
    assert a["recency_days"] == 1.0 and a["tenure_days"] == 89.0 and a["frequency"] == 5
    assert a["monetary"] == 50.5 and a["orders"] == 3
    assert a["monetary_90"] == 50.5 and a["frequency_90"] == 5 and a["share_90:Order Completed"] == 0.6
    assert (a["count_7:Order Completed"], a["count_30:Order Completed"], a["count_90:Order Completed"]) == (2, 2, 3)
    assert a["count_7:App Opened"] == 1 and a["count_90:App Opened"] == 2
    assert (a["opened_30"], a["clicked_30"], a["clicked_90"]) == (1, 0, 1)
    assert b["recency_days"] == 4.0 and b["monetary"] == 0 and b["sent_30"] == 1 and b["count_7:App Opened"] == 1
    assert math.isnan(q["recency_days"]) and q["frequency"] == 0 and q["count_90:App Opened"] == 0
    assert list(a) == features.feature_names(["App Opened", "Order Completed"])
    assert alone == {bob: b}
