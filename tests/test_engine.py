"""The engine on a real SQLite file with a moved clock: entries, waits, exits, re-entry, pause."""

from __future__ import annotations

from datetime import timedelta

from app.authoring import service as journey_service
from app.engine.engine import Engine
from tests.engine_support import (
    add_contacts,
    all_of,
    branch_journey,
    counts,
    enrollments,
    journey,
    outbox,
    publish,
    run,
    track,
)

PUSH_JOURNEY = journey(
    [
        ("entry", "entry.event", {"event": "signed_up"}),
        ("push", "message.push", {"body": "Welcome {{ contact.first_name }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "push"), ("push", "next", "done")],
)


def test_abandoned_cart_sends_sms_then_email_and_buyers_leave(ctx) -> None:
    ids = add_contacts(ctx, 4)
    journey_id = publish(ctx, "abandoned_cart")
    track(ctx, ids, "Checkout Started", checkout_url="https://shop.example/cart/1", checkout_id="c1")
    run(ctx)
    track(ctx, ids[:1], "Order Completed")
    run(ctx, after=timedelta(minutes=10))
    assert outbox(ctx) == []
    run(ctx, after=timedelta(minutes=51))
    sms = outbox(ctx, channel="sms")
    assert [m.contact_id for m in sms] == ids[1:]
    assert sms[0].payload["body"].startswith(f"Ann{ids[1]}, your cart is waiting: https://shop.example/cart/1")
    track(ctx, ids[1:2], "Order Completed")
    run(ctx, after=timedelta(hours=1))
    run(ctx, after=timedelta(hours=24))
    emails = outbox(ctx, channel="email")
    assert [m.contact_id for m in emails] == ids[2:]
    assert emails[0].payload["subject"] == f"Your cart is still waiting, Ann{ids[2]}"
    states = {e.contact_id: (e.status, e.node_id) for e in enrollments(ctx, journey_id)}
    assert states == {
        ids[0]: ("exited", "wait_1h"),
        ids[1]: ("exited", "wait_24h"),
        ids[2]: ("done", "done"),
        ids[3]: ("done", "done"),
    }
    tally = counts(ctx, journey_id)
    assert tally[("entry", "entered", "")] == 4
    assert tally[("wait_1h", "exited", "goal")] == 1
    assert tally[("wait_24h", "exited", "goal")] == 1
    assert tally[("email", "queued", "")] == 2


def test_wait_for_event_takes_event_port_when_it_arrives_and_timeout_port_otherwise(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "trial_started"}),
            ("wait", "wait.event", {"event": "upgraded", "timeout": {"amount": 2, "unit": "days"}}),
            ("thanks", "message.push", {"body": "Thanks for upgrading"}),
            ("nudge", "message.push", {"body": "Your trial ends soon"}),
            ("end1", "exit", {}),
            ("end2", "exit", {}),
        ],
        [
            ("entry", "next", "wait"),
            ("wait", "event", "thanks"),
            ("wait", "timeout", "nudge"),
            ("thanks", "next", "end1"),
            ("nudge", "next", "end2"),
        ],
    )
    ids = add_contacts(ctx, 2)
    publish(ctx, doc)
    track(ctx, ids, "trial_started")
    run(ctx)
    track(ctx, ids[:1], "upgraded", plan="pro")
    run(ctx, after=timedelta(hours=3))
    assert [(m.contact_id, m.payload["body"]) for m in outbox(ctx)] == [(ids[0], "Thanks for upgrading")]
    run(ctx, after=timedelta(days=1, hours=20))
    assert [(m.contact_id, m.node_id) for m in outbox(ctx)][1:] == []
    run(ctx, after=timedelta(hours=2))
    assert [(m.contact_id, m.node_id) for m in outbox(ctx)] == [(ids[0], "thanks"), (ids[1], "nudge")]


def test_event_entry_filters_on_properties(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "order", "filters": [{"property": "total", "op": "gt", "value": 100}]}),
            ("push", "message.push", {"body": "Big spender"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "push"), ("push", "next", "done")],
    )
    ids = add_contacts(ctx, 2)
    publish(ctx, doc)
    track(ctx, ids[:1], "order", total=150)
    track(ctx, ids[1:], "order", total=20)
    run(ctx)
    assert [m.contact_id for m in outbox(ctx)] == ids[:1]


def test_segment_entry_fires_on_segment_entered_event(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.segment", {"segment": "VIP"}),
            ("push", "message.push", {"body": "Welcome to VIP"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "push"), ("push", "next", "done")],
    )
    ids = add_contacts(ctx, 2)
    publish(ctx, doc)
    track(ctx, ids[:1], "segment.entered", segment="VIP")
    track(ctx, ids[1:], "segment.entered", segment="Churned")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx)] == ids[:1]


def test_reentry_never_after_exit_and_limit(ctx) -> None:
    ids = add_contacts(ctx, 1)
    modes = {"never": {"mode": "never"}, "after": {"mode": "after_exit"}, "limit": {"mode": "limit", "max_entries": 2}}
    journeys = {}
    for name, rule in modes.items():
        doc = {**PUSH_JOURNEY, "name": name, "settings": {"reentry": rule}}
        journeys[name] = publish(ctx, doc)
    for _ in range(3):
        track(ctx, ids, "signed_up")
        run(ctx, after=timedelta(minutes=1))
    runs = {name: len(enrollments(ctx, jid)) for name, jid in journeys.items()}
    assert runs == {"never": 1, "after": 3, "limit": 2}
    assert len({m.message_id for m in outbox(ctx)}) == 6


def test_paused_journey_holds_contacts_until_resumed(ctx) -> None:
    ids = add_contacts(ctx, 2)
    journey_id = publish(ctx, PUSH_JOURNEY)
    journey_service.change_status(ctx, journey_id, "pause")
    track(ctx, ids, "signed_up")
    run(ctx)
    assert outbox(ctx) == []
    assert [e.node_id for e in enrollments(ctx, journey_id)] == ["entry", "entry"]
    journey_service.change_status(ctx, journey_id, "resume")
    run(ctx)
    assert len(outbox(ctx)) == 2


def test_paused_journey_refuses_entries_when_set_to_refuse(ctx) -> None:
    ids = add_contacts(ctx, 2)
    journey_id = publish(ctx, {**PUSH_JOURNEY, "settings": {"when_paused": "refuse"}})
    journey_service.change_status(ctx, journey_id, "pause")
    track(ctx, ids, "signed_up")
    run(ctx)
    journey_service.change_status(ctx, journey_id, "resume")
    run(ctx)
    assert enrollments(ctx, journey_id) == []
    assert counts(ctx, journey_id)[("entry", "refused", "paused")] == 2


def test_contacts_stay_on_the_version_they_entered_with(ctx) -> None:
    ids = add_contacts(ctx, 2)
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "hours"}}),
            ("push", "message.push", {"body": "version one"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait"), ("wait", "next", "push"), ("push", "next", "done")],
    )
    journey_id = publish(ctx, doc)
    track(ctx, ids[:1], "go")
    run(ctx)
    doc["nodes"][2]["config"]["body"] = "version two"
    from app.authoring import service as svc
    from journeys import document

    svc.save_draft(ctx, journey_id, document.parse(doc), expected_revision=1)
    svc.publish(ctx, journey_id)
    track(ctx, ids[1:], "go")
    run(ctx)
    run(ctx, after=timedelta(hours=2))
    bodies = {m.contact_id: m.payload["body"] for m in outbox(ctx)}
    assert bodies == {ids[0]: "version one", ids[1]: "version two"}


def test_update_attribute_changes_the_profile_and_later_branches_see_it(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            ("set", "update_attribute", {"updates": [{"attribute": "visits", "op": "increment", "value": 2}]}),
            ("check", "branch", {"condition": {"kind": "attribute", "attribute": "visits", "op": "gte", "value": 2}}),
            ("yes", "message.push", {"body": "visits {{ contact.visits }}"}),
            ("end1", "exit", {}),
            ("end2", "exit", {}),
        ],
        [("entry", "next", "set"), ("set", "next", "check"), ("check", "yes", "yes"), ("check", "no", "end2")]
        + [("yes", "next", "end1")],
    )
    ids = add_contacts(ctx, 1)
    publish(ctx, doc)
    track(ctx, ids, "go")
    Engine(ctx).run()
    assert [m.payload["body"] for m in outbox(ctx)] == ["visits 2"]


def test_branch_on_performed_events_and_saved_segments(ctx) -> None:
    from storage.segments import create_segment

    with ctx.db.session() as session:
        condition = {"kind": "attribute", "attribute": "tier", "op": "eq", "value": "gold"}
        create_segment(session, name="Gold", condition=condition, now=ctx.clock.now())
    doc = journey(
        [
            ("entry", "entry.event", {"event": "go"}),
            (
                "check",
                "branch",
                {
                    "condition": all_of(
                        {"kind": "segment", "segment": "Gold"},
                        {"kind": "performed", "event": "purchase", "op": "at_least", "count": 2},
                    )
                },
            ),
            ("vip", "message.push", {"body": "VIP"}),
            ("end1", "exit", {}),
            ("end2", "exit", {}),
        ],
        [("entry", "next", "check"), ("check", "yes", "vip"), ("check", "no", "end2"), ("vip", "next", "end1")],
    )
    gold = add_contacts(ctx, 2, attributes={"tier": "gold"})
    silver = add_contacts(ctx, 1, attributes={"tier": "silver"})
    track(ctx, gold[:1] + silver, "purchase")
    track(ctx, gold[:1] + silver, "purchase")
    publish(ctx, doc)
    track(ctx, gold + silver, "go")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx)] == gold[:1]


def test_journey_counts_contact_runs_and_node_counts_read_the_enrollments(ctx) -> None:
    from app.pages.builder.choices import node_counts
    from storage.contacts_queries import list_enrollments
    from storage.journey_stats import journey_counts

    ids = add_contacts(ctx, 3)
    journey_id = publish(ctx, "abandoned_cart")
    track(ctx, ids, "Checkout Started")
    run(ctx)
    track(ctx, ids[:1], "Order Completed")
    run(ctx)
    with ctx.db.session() as session:
        counts_now = journey_counts(session, journey_ids=[journey_id])[journey_id]
        runs = list_enrollments(session, contact_id=ids[0])
    assert (counts_now.entered, counts_now.in_progress) == (3, 2)
    assert [(r.journey_id, r.status) for r in runs] == [(journey_id, "exited")]
    assert node_counts(ctx, journey_id) == {"wait_1h": 2}


def test_events_after_the_entry_in_the_same_batch_reach_the_new_enrollment(ctx) -> None:
    """Entry, then an exit event (or the awaited event) read in one batch: the later event is not lost."""
    doc = journey(
        [
            ("entry", "entry.event", {"event": "cart_abandoned"}),
            ("wait", "wait.event", {"event": "coupon_opened", "timeout": {"amount": 1, "unit": "days"}}),
            ("push", "message.push", {"body": "Your coupon is ready"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait"), ("wait", "event", "push"), ("wait", "timeout", "done"), ("push", "next", "done")],
        settings={"exit_events": ["order_completed"]},
    )
    journey_id = publish(ctx, doc)
    buyer, opener, idle = add_contacts(ctx, 3)
    track(ctx, [buyer, opener, idle], "cart_abandoned")
    track(ctx, [buyer], "order_completed")
    track(ctx, [opener], "coupon_opened")
    run(ctx)
    states = {e.contact_id: (e.status, e.node_id) for e in enrollments(ctx, journey_id)}
    assert states == {buyer: ("exited", "wait"), opener: ("done", "done"), idle: ("active", "wait")}
    assert [m.contact_id for m in outbox(ctx, channel="push")] == [opener]
    assert counts(ctx, journey_id)[("wait", "exited", "exit_event")] == 1


def test_archiving_exits_everyone_still_inside_and_counts_them(ctx) -> None:
    doc = journey(
        [
            ("entry", "entry.event", {"event": "signed_up"}),
            ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "days"}}),
            ("push", "message.push", {"body": "Day two"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "wait"), ("wait", "next", "push"), ("push", "next", "done")],
    )
    journey_id, other_id = publish(ctx, doc), publish(ctx, doc)
    ids = add_contacts(ctx, 7)
    track(ctx, ids, "signed_up")
    engine = Engine(ctx, batch_size=3)  # several chunks
    run(ctx, engine)
    journey_service.change_status(ctx, journey_id, "archive")
    states = {(e.status, e.node_id) for e in enrollments(ctx, journey_id)}
    assert states == {("exited", "wait")} and len(enrollments(ctx, journey_id)) == 7
    assert counts(ctx, journey_id)[("wait", "exited", "archived")] == 7
    assert {e.status for e in enrollments(ctx, other_id)} == {"active"}  # other journeys are untouched
    run(ctx, engine, after=timedelta(days=2))
    assert [m.contact_id for m in outbox(ctx)] == ids  # only the other journey's pushes
    assert {m.journey_id for m in outbox(ctx)} == {other_id}


def test_branches_read_location_device_and_seen_times_of_the_contact(ctx) -> None:
    """The geo template's geofence branch, and branches on device and last seen, against stored contacts."""
    journey_id = publish(ctx, "geo_store_push")
    near = add_contacts(ctx, 1, lat=48.8701, lon=2.3320)  # ~40 m from the store
    far = add_contacts(ctx, 1, lat=48.8566, lon=2.3522)  # ~2 km away
    unknown = add_contacts(ctx, 1)  # no location yet
    track(ctx, near + far + unknown, "location_updated")
    run(ctx)
    assert [m.contact_id for m in outbox(ctx, journey_id=journey_id)] == near
    states = {e.contact_id: e.node_id for e in enrollments(ctx, journey_id)}
    assert states == {near[0]: "exit_sent", far[0]: "exit_far", unknown[0]: "exit_far"}

    now = ctx.clock.now()
    doc = branch_journey(
        "opened_app",
        all_of(
            {"kind": "attribute", "attribute": "device", "op": "contains", "value": "iPhone"},
            {"kind": "last_seen", "op": "within_last_days", "value": 3},
        ),
    )
    second = publish(ctx, doc)
    recent_iphone = add_contacts(ctx, 1, device="Apple iPhone15,2", last_seen_at=now - timedelta(days=1))
    old_iphone = add_contacts(ctx, 1, device="Apple iPhone15,2", last_seen_at=now - timedelta(days=10))
    recent_pixel = add_contacts(ctx, 1, device="Google Pixel 8", last_seen_at=now - timedelta(hours=2))
    track(ctx, recent_iphone + old_iphone + recent_pixel, "opened_app")
    run(ctx)
    ends = {e.contact_id: e.node_id for e in enrollments(ctx, second)}
    assert ends == {recent_iphone[0]: "yes", old_iphone[0]: "no", recent_pixel[0]: "no"}


def test_an_attribute_set_by_one_journey_enters_a_segment_journey(ctx) -> None:
    """update_attribute makes a contact match a saved segment: a segment-entry journey picks them up."""
    from app.audience import segment_service

    segment_service.save_segment(
        ctx, name="VIP", condition={"kind": "attribute", "attribute": "tier", "op": "eq", "value": "vip"}
    )
    upgrade = journey(
        [
            ("entry", "entry.event", {"event": "big_order"}),
            ("set", "update_attribute", {"updates": [{"attribute": "tier", "op": "set", "value": "vip"}]}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "set"), ("set", "next", "done")],
    )
    welcome = journey(
        [
            ("entry", "entry.segment", {"segment": "VIP"}),
            ("push", "message.push", {"body": "Welcome to VIP"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "push"), ("push", "next", "done")],
    )
    publish(ctx, upgrade)
    welcome_id = publish(ctx, welcome)
    buyer, other = add_contacts(ctx, 2)
    track(ctx, [buyer], "big_order")
    engine = Engine(ctx)
    run(ctx, engine)
    run(ctx, engine)  # the segment.entered event written by the first pass starts the second journey
    assert [(m.contact_id, m.payload["body"]) for m in outbox(ctx, journey_id=welcome_id)] == [
        (buyer, "Welcome to VIP")
    ]
    assert other not in [e.contact_id for e in enrollments(ctx, welcome_id)]
