"""Respect for the person and time: consent, caps, quiet hours and waits across a DST change, splits."""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta

from app.delivery.workspace import save_policy
from journeys.nodes.split import Config as SplitConfig
from journeys.policy import DeliveryPolicy, QuietHours
from journeys.steps.split import assign
from tests.engine_support import add_contacts, counts, enrollments, journey, outbox, publish, run, track


def push_journey(body: str = "Hi", **extra) -> dict:
    return journey(
        [("entry", "entry.event", {"event": "go"}), ("msg", "message.push", {"body": body}), ("done", "exit", {})],
        [("entry", "next", "msg"), ("msg", "next", "done")],
        **extra,
    )


def test_unsubscribed_and_unconsented_channels_are_skipped_and_recorded(ctx) -> None:
    yes = add_contacts(ctx, 1, consent={"push": "subscribed"})
    unsubscribed = add_contacts(ctx, 1, consent={"push": "unsubscribed"})
    silent = add_contacts(ctx, 1, consent={})
    journey_id = publish(ctx, push_journey())
    track(ctx, yes + unsubscribed + silent, "go")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx)] == yes
    tally = counts(ctx, journey_id)
    assert tally[("msg", "skipped", "unsubscribed")] == 1
    assert tally[("msg", "skipped", "no_consent")] == 1
    assert {e.status for e in enrollments(ctx, journey_id)} == {"done"}


def test_global_and_journey_frequency_caps_skip_extra_messages(ctx) -> None:
    cap = {"channel": "push", "max_messages": 2, "per": {"amount": 24, "unit": "hours"}}
    save_policy(ctx, DeliveryPolicy(frequency_caps=[cap]))
    ids = add_contacts(ctx, 1)
    first = publish(ctx, push_journey("one", name="one", settings={"reentry": {"mode": "after_exit"}}))
    for _ in range(3):
        track(ctx, ids, "go")
        run(ctx, after=timedelta(hours=1))
    assert len(outbox(ctx)) == 2
    assert counts(ctx, first)[("msg", "skipped", "frequency_cap")] == 1
    run(ctx, after=timedelta(hours=24))
    track(ctx, ids, "go")
    run(ctx)
    assert len(outbox(ctx)) == 3


def test_journey_cap_counts_only_its_own_messages(ctx) -> None:
    cap = {"channel": "push", "max_messages": 1, "per": {"amount": 7, "unit": "days"}}
    ids = add_contacts(ctx, 1)
    capped = publish(ctx, push_journey("capped", settings={"reentry": {"mode": "after_exit"}, "frequency_caps": [cap]}))
    publish(ctx, push_journey("other", name="other", settings={"reentry": {"mode": "after_exit"}}))
    for _ in range(2):
        track(ctx, ids, "go")
        run(ctx, after=timedelta(hours=1))
    bodies = Counter(m.payload["body"] for m in outbox(ctx))
    assert bodies == {"capped": 1, "other": 2}
    assert counts(ctx, capped)[("msg", "skipped", "frequency_cap")] == 1


def test_transactional_messages_bypass_quiet_hours_and_caps(ctx, clock) -> None:
    cap = {"channel": "push", "max_messages": 1, "per": {"amount": 1, "unit": "days"}}
    save_policy(ctx, DeliveryPolicy(frequency_caps=[cap]))
    clock.set(datetime(2026, 1, 5, 23, 0, tzinfo=UTC))
    ids = add_contacts(ctx, 1)
    doc = push_journey(settings={"reentry": {"mode": "after_exit"}})
    doc["nodes"][1]["config"]["transactional"] = True
    publish(ctx, doc)
    for _ in range(2):
        track(ctx, ids, "go")
        run(ctx, after=timedelta(minutes=1))
    assert len(outbox(ctx)) == 2


def test_quiet_hours_defer_to_local_morning_across_dst_change(ctx, clock) -> None:
    # Paris leaves summer time at 03:00 on 25 Oct 2026: 08:00 local is 07:00 UTC that morning.
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(start="21:00", end="08:00", action="defer")))
    clock.set(datetime(2026, 10, 24, 21, 30, tzinfo=UTC))  # 23:30 in Paris (UTC+2)
    ids = add_contacts(ctx, 1, time_zone="Europe/Paris")
    journey_id = publish(ctx, push_journey())
    track(ctx, ids, "go")
    run(ctx)
    assert outbox(ctx) == []
    [enrollment] = enrollments(ctx, journey_id)
    assert datetime.fromtimestamp(enrollment.due_at, UTC) == datetime(2026, 10, 25, 7, 0, tzinfo=UTC)
    clock.set(datetime(2026, 10, 25, 6, 59, tzinfo=UTC))
    run(ctx)
    assert outbox(ctx) == []
    clock.set(datetime(2026, 10, 25, 7, 0, tzinfo=UTC))
    run(ctx)
    assert len(outbox(ctx)) == 1
    assert counts(ctx, journey_id)[("msg", "deferred", "quiet_hours")] == 1


def test_quiet_hours_drop_when_set_to_drop(ctx, clock) -> None:
    save_policy(ctx, DeliveryPolicy(quiet_hours=QuietHours(action="drop")))
    clock.set(datetime(2026, 1, 5, 22, 0, tzinfo=UTC))
    ids = add_contacts(ctx, 1)
    journey_id = publish(ctx, push_journey())
    track(ctx, ids, "go")
    run(ctx)
    assert outbox(ctx) == []
    assert counts(ctx, journey_id)[("msg", "skipped", "quiet_hours")] == 1


def test_wait_until_time_of_day_uses_the_contacts_zone_across_spring_dst(ctx, clock) -> None:
    # New York springs forward on 8 Mar 2026: 09:00 local is 14:00 UTC before, 13:00 UTC after.
    clock.set(datetime(2026, 3, 7, 15, 0, tzinfo=UTC))  # 10:00 in New York on the 7th
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("wait", "wait.until", {"mode": "time_of_day", "time": "09:00"}),
            ("msg", "message.push", {"body": "Good morning"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait"), ("wait", "next", "msg"), ("msg", "next", "done")],
    )
    ids = add_contacts(ctx, 1, time_zone="America/New_York")
    journey_id = publish(ctx, doc)
    track(ctx, ids, "go")
    run(ctx)
    [enrollment] = enrollments(ctx, journey_id)
    assert datetime.fromtimestamp(enrollment.due_at, UTC) == datetime(2026, 3, 8, 13, 0, tzinfo=UTC)


def test_split_is_deterministic_and_fifty_fifty_within_two_percent() -> None:
    config = SplitConfig.model_validate({"variants": [{"port": "A", "weight": 50}, {"port": "B", "weight": 50}]})
    first = [assign(config, cid, 7, "split").port for cid in range(1, 10_001)]
    again = [assign(config, cid, 7, "split").port for cid in range(1, 10_001)]
    assert first == again
    share = first.count("A") / len(first)
    assert 0.48 <= share <= 0.52


def test_split_control_variant_sends_nothing_and_counts_per_variant(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            (
                "split",
                "split",
                {"variants": [{"port": "A", "weight": 50}, {"port": "control", "weight": 50, "control": True}]},
            ),
            ("msg", "message.push", {"body": "Offer"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "split"), ("split", "A", "msg"), ("split", "control", "msg"), ("msg", "next", "done")],
    )
    ids = add_contacts(ctx, 200)
    journey_id = publish(ctx, doc)
    track(ctx, ids, "go")
    run(ctx)
    variants = {e.contact_id: e.context["variant"] for e in enrollments(ctx, journey_id)}
    sent = {m.contact_id for m in outbox(ctx)}
    assert sent == {cid for cid, v in variants.items() if v == "A"}
    assert all(m.variant == "A" for m in outbox(ctx))
    tally = counts(ctx, journey_id)
    assert tally[("msg", "skipped", "control")] == 200 - len(sent)


def test_template_error_at_send_time_records_a_failed_step_and_the_batch_goes_on(ctx) -> None:
    doc = push_journey("{{ contact.first_name | append: 1, 2, 3 }} ok")
    ids = add_contacts(ctx, 3)
    journey_id = publish(ctx, doc)
    track(ctx, ids, "go")
    run(ctx)
    tally = counts(ctx, journey_id)
    assert tally[("msg", "failed", "template_error")] == 3
    assert {e.status for e in enrollments(ctx, journey_id)} == {"done"}
