"""Conversion scores: trained on a time-based split, refused on too little data, read by segments, branches and
Liquid; a missing model never blocks a journey."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import func, select

from app.audience import segment_service
from app.core import runtime
from app.predictions import model as learning
from app.predictions import overview, service
from journeys import conditions as c
from storage import predictions as store
from storage import segments
from storage.models import Contact, Event
from storage.prediction_models import PredictionModel, PredictionScore
from tests.conftest import run_cli
from tests.engine_support import add_contacts, branch_journey, counts, journey, outbox, publish, run, track
from tests.prediction_support import busy_shoppers, simulated_people

HIGH = {"kind": "predicted", "goal": "order_completed", "measure": "band", "op": "eq", "value": "high"}
LIKELY = {"kind": "predicted", "goal": "order_completed", "measure": "score", "op": "gte", "value": 0.5}


def _scores(ctx, scores: dict[int, tuple[float, str]]) -> None:
    rows = [{"contact_id": i, "model_id": 1, "score": s, "band": b, "scored_at": 0} for i, (s, b) in scores.items()]
    with ctx.db.engine.begin() as conn:
        store.replace_scores(conn, "order_completed", rows)


def _stored(ctx, table) -> int:
    with ctx.db.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()


def test_training_on_tiny_data_is_refused_with_a_message_and_stores_no_model(ctx) -> None:
    people = add_contacts(ctx, 30)
    track(ctx, people, "App Opened")
    ctx.clock.advance(timedelta(days=40))
    track(ctx, people[:3], "Order Completed", revenue=10)
    try:
        service.train(ctx, "Order Completed")
        raise AssertionError("training should have been refused")
    except learning.TooLittleData as exc:
        assert "only 30 contacts were active in the training period; at least 200 are needed" in str(exc)
    assert _stored(ctx, PredictionModel.__table__) == 0 and _stored(ctx, PredictionScore.__table__) == 0
    (goal,) = overview.goals(ctx)
    assert goal.trained_at is None and "at least 200 are needed" in goal.refusal
    cli = run_cli("models", "train", "--goal", "Order Completed")
    assert cli.returncode == 1
    assert cli.stderr.startswith("error: Order Completed: only") and "Traceback" not in cli.stderr


def test_a_single_class_is_refused_even_with_enough_contacts(ctx) -> None:
    people = add_contacts(ctx, 250)
    track(ctx, people, "App Opened")
    ctx.clock.advance(timedelta(days=40))
    try:
        service.train(ctx, "Order Completed")
        raise AssertionError("training should have been refused")
    except learning.TooLittleData as exc:
        assert "0 of 250 contacts did it in the training period" in str(exc)


def test_a_trained_model_ranks_busy_shoppers_above_chance_and_scores_everyone(ctx) -> None:
    people = busy_shoppers(ctx, 500)
    segment_service.save_segment(ctx, name="Likely buyers", condition=HIGH)  # nobody is scored yet: empty
    result = service.train(ctx, "Order Completed", 14)
    assert result.slug == "order_completed" and result.contacts == 500
    assert result.auc > 0.6
    (goal,) = overview.goals(ctx)
    assert goal.refusal == "" and sum(goal.bands.values()) == 500 and set(goal.bands) == {"high", "medium", "low"}
    assert len(goal.report["calibration"]) == 10
    assert goal.report["drivers"][0]["feature"].endswith("App Opened")
    assert goal.report["drivers"][0]["direction"] == "more"
    with ctx.db.engine.connect() as conn:
        found = store.predictions_for(conn, [people[0], people[-1]])
    assert found[people[-1]]["order_completed"]["score"] > found[people[0]]["order_completed"]["score"]
    # The segment reading the band follows the new scores at once, each newcomer with a segment.entered event.
    with ctx.db.session() as session:
        members = segments.matching_contact_ids(session, HIGH, now=ctx.clock.now())
        entered = session.execute(select(func.count()).where(Event.__table__.c.name == "segment.entered")).scalar_one()
    assert len(members) == goal.bands["high"] == entered > 0
    listed = run_cli("models", "list")
    assert listed.returncode == 0 and listed.stdout.startswith("order_completed (Order Completed, 14 days): AUC 0.")


def test_a_segment_selects_contacts_by_predicted_band_or_score(ctx) -> None:
    hot, warm, cold, unscored = add_contacts(ctx, 4)
    _scores(ctx, {hot: (0.8, "high"), warm: (0.5, "medium"), cold: (0.1, "low")})
    now = ctx.clock.now()
    with ctx.db.session() as session:
        assert set(segments.matching_contact_ids(session, HIGH, now=now)) == {hot}
        assert set(segments.matching_contact_ids(session, LIKELY, now=now)) == {hot, warm}
        either = {**HIGH, "op": "in", "value": ["high", "medium"]}
        assert set(segments.matching_contact_ids(session, either, now=now)) == {hot, warm}
    assert segments_of(ctx, {**LIKELY, "op": "lt"}) == [cold]


def segments_of(ctx, tree: dict) -> list[int]:
    with ctx.db.session() as session:
        return sorted(segments.matching_contact_ids(session, tree, now=ctx.clock.now()))


def test_a_predicted_condition_refuses_values_that_cannot_match() -> None:
    for bad in ({**LIKELY, "value": 2}, {**LIKELY, "value": "high"}, {**HIGH, "value": "hot"}, {**HIGH, "op": "gte"}):
        try:
            c.parse_condition(bad)
            raise AssertionError(f"accepted {bad}")
        except ValueError:
            pass


def test_a_branch_reads_the_band_and_a_missing_score_takes_no_with_the_reason_logged(ctx) -> None:
    hot, cold, unscored = add_contacts(ctx, 3)
    _scores(ctx, {hot: (0.9, "high"), cold: (0.05, "low")})
    journey_id = publish(ctx, branch_journey("checkout_started", HIGH))
    track(ctx, [hot, cold, unscored], "checkout_started")
    run(ctx)
    got = counts(ctx, journey_id)
    assert got[("yes", "exited", "completed")] == 1 and got[("no", "exited", "completed")] == 2
    assert got[("check", "fallback", "model_missing")] == 1
    assert ("check", "passed", "") not in got


PUSH = journey(
    [
        ("entry", "entry.event", {"event": "cart_viewed"}),
        (
            "push",
            "message.push",
            {"title": "Hi", "body": "{{ predicted.order_completed_band }}:{{ predicted.order_completed }}"},
        ),
        ("done", "exit", {}),
    ],
    [("entry", "next", "push"), ("push", "next", "done")],
)


def test_liquid_shows_the_score_and_band_and_a_missing_model_sends_anyway_saying_so(ctx) -> None:
    hot, unscored = add_contacts(ctx, 2)
    _scores(ctx, {hot: (0.87654, "high")})
    journey_id = publish(ctx, PUSH)
    track(ctx, [hot, unscored], "cart_viewed")
    run(ctx)
    bodies = {m.contact_id: m.payload["body"] for m in outbox(ctx, channel="push")}
    assert bodies == {hot: "high:0.877", unscored: ":"}
    assert counts(ctx, journey_id)[("push", "queued", "model_missing")] == 1


def test_on_simulated_people_the_model_ranks_buyers_well_above_chance(ctx) -> None:
    audience = simulated_people(ctx, 500, days=90)
    result = service.train(ctx, "Order Completed", 14)
    assert result.contacts == 500
    assert result.auc > 0.62, result.auc
    # Those the model puts in the high band truly are likelier buyers (by their hidden propensity).
    with ctx.db.engine.connect() as conn:
        found = store.predictions_for(conn, range(1, 501))
        external = dict(conn.execute(select(Contact.__table__.c.id, Contact.__table__.c.external_id)).all())
    truth = {p.user_id: p.propensity for p in audience.people}
    by_band: dict[str, list[float]] = {}
    for contact_id, goals in found.items():
        by_band.setdefault(goals["order_completed"]["band"], []).append(truth[external[contact_id]])
    mean = {band: sum(values) / len(values) for band, values in by_band.items()}
    assert mean["high"] > 1.5 * mean["low"]


async def test_the_runtime_retrains_every_goal_at_night(ctx) -> None:
    busy_shoppers(ctx, 300)
    service.add_goal(ctx, "Order Completed", 14)
    running = runtime.start(ctx)
    try:
        job = running.scheduler.get_job(runtime.PREDICTIONS_JOB)
        assert str(job.trigger.fields[job.trigger.FIELD_NAMES.index("hour")]) == "3"
        runtime.run_predictions()  # what the scheduler calls
    finally:
        await asyncio.to_thread(runtime.stop)
    (goal,) = overview.goals(ctx)
    assert goal.trained_at is not None and sum(goal.bands.values()) == 300
