"""A published journey with an optimised split: shares follow the goal conversions; bad settings stop publishing."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import select

from app.authoring import service as journey_service
from app.engine import optimiser
from app.engine.engine import Engine
from app.wording import explain
from journeys import document
from storage.engine_models import Enrollment
from tests.engine_support import add_contacts, publish, track
from tests.funnel_support import simulate
from tests.optimise_support import optimised_doc


def _paths(ctx, contacts: list[int]) -> Counter:
    """How many of these contacts took each path of the split."""
    table = Enrollment.__table__
    with ctx.db.engine.connect() as conn:
        rows = conn.execute(select(table.c.context).where(table.c.contact_id.in_(contacts)))
        return Counter(str((context or {}).get("variant")) for (context,) in rows)


def test_new_entrants_mostly_take_b_once_b_converts_better(ctx) -> None:
    journey_id = publish(ctx, optimised_doc())
    simulate(ctx, journey_id, people=1_200, rates={"A": 0.02, "B": 0.25}, seed=4, hours=24)
    [report] = optimiser.reports(ctx, journey_id)
    assert report.percents == {"A": 10, "B": 90}
    assert report.allocation.prob_best["B"] > 0.99
    contacts = add_contacts(ctx, 400)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    late = _paths(ctx, contacts)
    assert late["A"] + late["B"] == 400
    assert 0.85 < late["B"] / 400 < 0.95 and late["A"] > 0  # the loser keeps its minimum share
    assert report.history[0][1]["A"] > report.history[-1][1]["A"]  # the allocation moved over the days


def test_without_conversions_the_split_is_equal_whatever_the_weights(ctx) -> None:
    doc = optimised_doc(variants=[{"port": "A", "weight": 90}, {"port": "B", "weight": 10}])
    journey_id = publish(ctx, doc)
    contacts = add_contacts(ctx, 600)
    track(ctx, contacts, "signup")
    Engine(ctx).run()
    counts = _paths(ctx, contacts)
    assert 0.42 < counts["A"] / 600 < 0.58
    [report] = optimiser.reports(ctx, journey_id)
    assert report.allocation.learning and report.percents == {"A": 50, "B": 50}


def test_a_replay_in_the_same_period_routes_the_same_way(ctx) -> None:
    journey_id = publish(ctx, optimised_doc())
    simulate(ctx, journey_id, people=300, rates={"A": 0.05, "B": 0.3}, seed=9, hours=6)
    engine = Engine(ctx)
    engine.run()
    first = engine.routes[(journey_id, "split")]
    engine.run()
    assert engine.routes[(journey_id, "split")] == first
    assert dict(first)["B"] > dict(first)["A"]


def _refused(ctx, doc: dict) -> list:
    """Save a draft with the bad setting (drafts may be unfinished), then try to publish it."""
    journey_id = journey_service.import_journey(ctx, optimised_doc())
    journey_service.save_draft(ctx, journey_id, document.parse(doc), expected_revision=1)
    with pytest.raises(journey_service.InvalidJourney) as caught:
        journey_service.publish(ctx, journey_id)
    return caught.value.violations


def test_a_minimum_share_too_high_for_the_paths_refuses_publishing(ctx) -> None:
    variants = [{"port": p, "weight": w} for p, w in (("A", 34), ("B", 33), ("C", 33))]
    doc = optimised_doc(variants=variants, min_share=40)
    doc["nodes"].append({"id": "mail_c", "type": "message.email", "config": {"subject": "C", "body": "<p>C</p>"}})
    doc["edges"] += [
        {"source": "split", "port": "C", "target": "mail_c"},
        {"source": "mail_c", "port": "next", "target": "wait"},
    ]
    [violation] = _refused(ctx, doc)
    assert violation.node_id == "split" and violation.values["field"] == "min_share"
    assert violation.message == "min_share: 40% for each of 3 variants is over 100%"
    assert explain(violation) == "Lower the minimum share: times the number of paths it must not exceed 100%"


def test_a_refresh_period_out_of_range_refuses_publishing(ctx) -> None:
    [violation] = _refused(ctx, optimised_doc(refresh_hours=0))
    assert violation.node_id == "split" and violation.values["field"] == "refresh_hours"


def test_a_fixed_split_ignores_the_optimiser(ctx) -> None:
    doc = optimised_doc(optimise=False, variants=[{"port": "A", "weight": 80}, {"port": "B", "weight": 20}])
    journey_id = publish(ctx, doc)
    contacts = add_contacts(ctx, 500)
    track(ctx, contacts, "signup")
    engine = Engine(ctx)
    engine.run()
    assert (journey_id, "split") not in engine.routes
    assert optimiser.reports(ctx, journey_id) == []
    assert _paths(ctx, contacts)["A"] > 350


def test_an_optimised_split_without_a_goal_refuses_publishing(ctx) -> None:
    doc = optimised_doc()
    doc.pop("goal")
    [violation] = _refused(ctx, doc)
    assert violation.node_id == "split" and violation.values["field"] == "optimise"
    assert explain(violation) == "Set a goal for the journey: an optimised split follows its conversions"
