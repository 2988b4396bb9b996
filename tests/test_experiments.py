"""Experiments end to end on a moved clock: known true rates produce the right winner, equal rates none."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta

from sqlalchemy import select

from app.access import audit
from app.analytics import funnels
from app.engine import experiments
from app.engine.engine import Engine
from journeys.routing import apply, routed_config
from storage.engine_models import Enrollment
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import experiment_doc, simulate


def _variants_after(ctx, journey_id: int, since: int) -> Counter:
    table = Enrollment.__table__
    query = select(table.c.context).where(table.c.journey_id == journey_id, table.c.entered_at >= since)
    with ctx.db.engine.connect() as conn:
        return Counter((row.context or {}).get("variant") for row in conn.execute(query))


def test_five_versus_eight_percent_declares_b_and_routes_new_entrants_to_it(ctx) -> None:
    journey_id = publish(ctx, experiment_doc(min_sample=500, window_days=1))
    simulate(ctx, journey_id, people=4_000, rates={"A": 0.05, "B": 0.08}, seed=11, hours=36)
    routes = experiments.routes(ctx, journey_id)
    assert [(r.node_id, r.winner, r.active) for r in routes] == [("split", "B", True)]
    assert "beats the control" in routes[0].summary
    after = _variants_after(ctx, journey_id, routes[0].decided_at + 3_600)
    assert after and set(after) == {"B"}
    rows = {r.variant: r for r in funnels.journey_analytics(ctx, journey_id).experiments["split"]}
    assert rows["B"].significant and rows["B"].prob_beat > 0.99
    assert 0.04 < rows["A"].rate < 0.065 and 0.065 < rows["B"].rate < 0.095


def test_equal_rates_declare_no_winner_and_keep_splitting(ctx) -> None:
    journey_id = publish(ctx, experiment_doc(min_sample=500, window_days=1))
    start = int(ctx.clock.now().timestamp())
    simulate(ctx, journey_id, people=3_000, rates={"A": 0.065, "B": 0.065}, seed=5, hours=36)
    assert experiments.routes(ctx, journey_id) == []
    late = _variants_after(ctx, journey_id, start + 26 * 3_600)  # entrants after the window closed
    assert late["A"] > 0 and late["B"] > 0


def test_no_winner_before_the_window_closes_even_with_a_clear_difference(ctx) -> None:
    journey_id = publish(ctx, experiment_doc(min_sample=50, window_days=5))
    simulate(ctx, journey_id, people=1_000, rates={"A": 0.02, "B": 0.4}, seed=3, hours=24)
    assert experiments.routes(ctx, journey_id) == []


def test_undoing_a_winner_splits_new_entrants_again(ctx) -> None:
    journey_id = publish(ctx, experiment_doc(min_sample=50, window_days=1))
    simulate(ctx, journey_id, people=800, rates={"A": 0.02, "B": 0.4}, seed=3, hours=30)
    route = experiments.routes(ctx, journey_id)[0]
    assert route.winner == "B"
    assert experiments.revert(ctx, route.id, actor="ana@example.com")
    assert not experiments.revert(ctx, route.id)  # already undone
    assert [(e.actor, e.target) for e in audit.entries(ctx, action="experiment.revert")] == [
        ("ana@example.com", f"route:{route.id}")
    ]
    ctx.clock.advance(timedelta(hours=1))
    since = int(ctx.clock.now().timestamp())
    track(ctx, add_contacts(ctx, 200), "signup")
    Engine(ctx).run()
    after = _variants_after(ctx, journey_id, since)
    assert after["A"] > 50 and after["B"] > 50
    assert [r.active for r in experiments.routes(ctx, journey_id)] == [False]


def test_routed_plan_puts_all_weight_on_the_winner_and_ignores_unknown_ports() -> None:
    from journeys.nodes.split import Config

    config = Config.model_validate({"variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}]})
    assert [v.weight for v in routed_config(config, "B").variants] == [0, 100]
    assert routed_config(config, "Z") is config
    from journeys.plan import compile_plan

    plan = compile_plan(1, 1, experiment_doc())
    assert apply(plan, {}) is plan
    assert apply(plan, {(2, "split"): "B"}) is plan
    routed = apply(plan, {(1, "split"): "B"})
    assert [v.weight for v in routed.configs["split"].variants] == [0, 100]
    assert apply(plan, {(1, "split"): "B"}) is routed
