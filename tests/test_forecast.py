"""The forecast before publish: a hand-made workspace whose answer is known, played through the real steps."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, insert, select

from app.authoring import service
from app.authoring.forecast import forecast_document, forecast_journey
from app.authoring.service import InvalidJourney
from app.delivery.workspace import save_policy
from journeys.document import FrequencyCap
from journeys.durations import Duration
from journeys.policy import DeliveryPolicy, QuietHours
from storage.engine_models import Enrollment, OutboxMessage
from storage.models import Event
from tests.engine_support import add_contacts, journey

PUSH = {"push": "subscribed"}


def push_journey(**settings: object) -> dict:
    return journey(
        [
            ("entry", "entry.event", {"event": "Checkout Started"}),
            ("push", "message.push", {"body": "Your cart is waiting"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "push"), ("push", "next", "done")],
        settings={"reentry": {"mode": "after_exit"}, **settings},
        goal={"event": "Order Completed", "window": {"amount": 1, "unit": "days"}},
    )


def daily_events(ctx, contact_ids: list[int], name: str, *, hour: int, days: int = 28) -> None:
    """One ``name`` event per contact per day at ``hour`` UTC over the last ``days`` days."""
    today = ctx.clock.now().replace(hour=0, minute=0, second=0, microsecond=0)
    rows = [
        {"contact_id": cid, "name": name, "properties": {}, "timestamp": at, "received_at": at}
        for day in range(1, days + 1)
        for at in [today - timedelta(days=day) + timedelta(hours=hour)]
        for cid in contact_ids
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Event.__table__), rows)


def rows(ctx, table) -> int:
    with ctx.db.engine.connect() as conn:
        return int(conn.execute(select(func.count()).select_from(table.__table__)).scalar_one())


def test_ten_triggers_a_day_half_without_push_consent_forecast_five_pushes_and_five_consent_skips(ctx) -> None:
    consenting = add_contacts(ctx, 5, consent=PUSH)
    silent = add_contacts(ctx, 5, consent={})
    daily_events(ctx, consenting + silent, "Checkout Started", hour=12)
    report = forecast_document(ctx, push_journey())
    found = report.forecast
    assert found.entries == pytest.approx([10.0] * 7)
    assert found.messages["push"] == pytest.approx([5.0] * 7)
    assert found.skips == {("push", "no_consent"): pytest.approx(35.0)}
    assert (report.source, report.population, report.sampled, report.scaled) == ("event", 10, 10, False)
    # No message was ever sent before and nobody bought: the goal's base rate is unknown.
    assert report.conversion.source == "none" and report.conversions is None
    assert rows(ctx, OutboxMessage) == 0 and rows(ctx, Enrollment) == 0


def test_quiet_hours_and_frequency_caps_are_counted_as_skips(ctx) -> None:
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(action="drop")))
    evening = add_contacts(ctx, 2, consent=PUSH)
    daytime = add_contacts(ctx, 3, consent=PUSH)
    daily_events(ctx, evening, "Checkout Started", hour=22)  # inside 21:00-08:00 in UTC
    daily_events(ctx, daytime, "Checkout Started", hour=12)
    cap = {"channel": "push", "max_messages": 1, "per": {"amount": 7, "unit": "days"}}
    found = forecast_document(ctx, push_journey(frequency_caps=[cap])).forecast
    assert found.skips[("push", "quiet_hours")] == pytest.approx(14.0)
    # Three daytime contacts: one push each in the week, then the cap stops the other six days.
    assert found.total("push") == pytest.approx(3.0)
    assert found.skips[("push", "frequency_cap")] == pytest.approx(18.0)
    assert rows(ctx, OutboxMessage) == 0 and rows(ctx, Enrollment) == 0


def test_quiet_hours_that_defer_are_reported_as_deferred_and_still_send(ctx) -> None:
    evening = add_contacts(ctx, 2, consent=PUSH)
    daily_events(ctx, evening, "Checkout Started", hour=22)
    found = forecast_document(ctx, push_journey()).forecast
    assert found.deferred[("push", "quiet_hours")] == pytest.approx(14.0)
    assert found.total("push") == pytest.approx(14.0)  # deferred to 08:00, inside the week
    assert not found.skips


def test_conversions_use_the_goal_rate_after_past_messages_and_say_so(ctx) -> None:
    people = add_contacts(ctx, 4, consent=PUSH)
    daily_events(ctx, people, "Checkout Started", hour=12)
    now = int(ctx.clock.now().timestamp())
    # Two weeks ago each got a push; half bought within the day after it.
    sent = now - 14 * 86_400
    with ctx.db.engine.begin() as conn:
        conn.execute(
            insert(OutboxMessage.__table__),
            [
                {"message_id": f"old-{c}", "journey_id": 99, "version_id": 1, "node_id": "p", "contact_id": c,
                 "channel": "push", "payload": {}, "status": "sent", "created_at": sent}
                for c in people
            ],
        )  # fmt: skip
    bought = ctx.clock.now() - timedelta(days=14) + timedelta(hours=2)
    with ctx.db.engine.begin() as conn:
        conn.execute(
            insert(Event.__table__),
            [{"contact_id": c, "name": "Order Completed", "properties": {}, "timestamp": bought, "received_at": bought}
             for c in people[:2]],
        )  # fmt: skip
    report = forecast_document(ctx, push_journey())
    assert report.conversion.source == "after_message"
    assert report.conversion.rate == pytest.approx(0.5)
    # Four contacts a day for 7 days each get a push: 28 messaged entries at half.
    assert report.conversions == pytest.approx(14.0)


def test_large_audiences_are_sampled_and_scaled_up_and_it_says_so(ctx, monkeypatch) -> None:
    from app.authoring import forecast as module

    monkeypatch.setattr(module, "SAMPLE", 20)
    people = add_contacts(ctx, 60, consent=PUSH)
    daily_events(ctx, people, "Checkout Started", hour=12, days=7)
    report = forecast_document(ctx, push_journey())
    assert (report.population, report.sampled, report.scaled) == (60, 20, True)
    # Seven days of history out of four weeks: a quarter of the daily rate, scaled back to everyone.
    assert report.forecast.total("push") == pytest.approx(60 * 7 / 4)


def test_no_history_says_so_and_still_answers(ctx) -> None:
    add_contacts(ctx, 3, consent=PUSH)
    report = forecast_document(ctx, push_journey())
    assert report.no_history and report.population == 0
    assert report.as_dict()["messages"] == {"push": 0.0}


def test_a_draft_that_does_not_validate_gets_its_problems_not_a_forecast(ctx) -> None:
    broken = push_journey()
    broken["nodes"][1]["config"] = {"body": ""}
    with pytest.raises(InvalidJourney) as caught:
        forecast_document(ctx, broken)
    assert "push" in caught.value.body()["detail"]


def test_a_stored_draft_is_forecast_by_id(ctx) -> None:
    people = add_contacts(ctx, 2, consent=PUSH)
    daily_events(ctx, people, "Checkout Started", hour=12)
    journey_id = service.import_journey(ctx, push_journey())
    report = forecast_journey(ctx, journey_id)
    assert report.forecast.total("push") == pytest.approx(14.0)


def test_frequency_cap_model_is_what_the_document_takes() -> None:
    cap = FrequencyCap(channel="push", max_messages=1, per=Duration(amount=7, unit="days"))
    assert cap.per.to_timedelta() == timedelta(days=7)


def message_after(entry: tuple[str, str, dict]) -> dict:
    return journey(
        [entry, ("push", "message.push", {"body": "Hello"}), ("done", "exit", {})],
        [("entry", "next", "push"), ("push", "next", "done")],
        settings={"reentry": {"mode": "after_exit"}},
    )


def test_a_daily_schedule_enters_its_audience_at_each_run_of_the_week(ctx) -> None:
    add_contacts(ctx, 3, consent=PUSH)
    doc = message_after(("entry", "entry.schedule", {"mode": "recurring", "cron": "0 10 * * *"}))
    report = forecast_document(ctx, doc)
    assert (report.source, report.occurrences) == ("schedule", 7)
    assert report.forecast.messages["push"] == pytest.approx([3.0] * 7)


def test_a_date_entry_enters_the_contacts_whose_date_falls_in_the_week(ctx) -> None:
    add_contacts(ctx, 1, consent=PUSH, attributes={"birthday": "1990-01-08"})  # three days after the clock
    add_contacts(ctx, 1, consent=PUSH, attributes={"birthday": "1990-03-01"})
    doc = message_after(("entry", "entry.date", {"attribute": "birthday", "repeat": "yearly", "time_of_day": "10:00"}))
    report = forecast_document(ctx, doc)
    assert (report.source, report.population) == ("date", 1)
    assert report.forecast.messages["push"] == pytest.approx([0, 0, 0, 1.0, 0, 0, 0])


def test_api_entries_come_back_at_the_pace_of_the_last_four_weeks(ctx) -> None:
    people = add_contacts(ctx, 2, consent=PUSH)
    journey_id = service.import_journey(ctx, message_after(("entry", "entry.api", {})))
    now = int(ctx.clock.now().timestamp())
    entered = [
        {"journey_id": journey_id, "version_id": 1, "contact_id": cid, "entry_no": day + 1, "node_id": "done",
         "status": "done", "context": {}, "entered_at": now - (day + 1) * 86_400 + 3_600}
        for cid in people
        for day in range(0, 28, 2)  # every other day
    ]  # fmt: skip
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Enrollment.__table__), entered)
    report = forecast_journey(ctx, journey_id)
    assert report.source == "api"
    assert report.forecast.total("push") == pytest.approx(2 * 3.5)  # 14 entries each in 4 weeks: 3.5 a week


def test_a_branch_on_past_behaviour_reads_each_contacts_whole_history(ctx) -> None:
    buyers = add_contacts(ctx, 2, consent=PUSH)
    others = add_contacts(ctx, 3, consent=PUSH)
    daily_events(ctx, buyers + others, "Checkout Started", hour=12)
    daily_events(ctx, buyers, "purchase", hour=9, days=1)  # yesterday, outside the replayed events' names
    bought = {"kind": "performed", "event": "purchase", "op": "at_least", "count": 1}
    doc = journey(
        [
            ("entry", "entry.event", {"event": "Checkout Started"}),
            ("known", "branch", {"condition": bought}),
            ("push", "message.push", {"body": "Welcome back"}),
            ("yes", "exit", {}),
            ("no", "exit", {}),
        ],
        [("entry", "next", "known"), ("known", "yes", "push"), ("push", "next", "yes"), ("known", "no", "no")],
        settings={"reentry": {"mode": "after_exit"}},
    )
    assert forecast_document(ctx, doc).forecast.messages["push"] == pytest.approx([2.0] * 7)
