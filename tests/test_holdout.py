"""Holdouts and revenue through the real engine on a SQLite file with a frozen clock."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import select

from app.delivery.workspace import save_revenue_policy
from journeys.revenue import RevenuePolicy
from storage.funnel_models import Conversion
from tests.engine_support import add_contacts, counts, enrollments, journey, outbox, publish, run, track


def _doc(holdout: int = 0, *, transactional: bool = False) -> dict[str, Any]:
    return journey(
        [
            ("entry", "entry.event", {"event": "signup"}),
            ("mail", "message.email", {"subject": "Hi", "body": "<p>Hi</p>", "transactional": transactional}),
            ("push", "message.push", {"title": "Hello", "body": "Come back"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "mail"), ("mail", "next", "push"), ("push", "next", "done")],
        settings={"holdout_percent": holdout},
        goal={"event": "Order Completed", "window": {"amount": 7, "unit": "days"}, "exit_on_goal": False},
    )


def _conversions(ctx) -> list[Any]:
    table = Conversion.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).order_by(table.c.contact_id)))


def test_holdout_contacts_get_no_messages_but_are_counted_and_convert(ctx) -> None:
    journey_id = publish(ctx, _doc(holdout=20))
    contacts = add_contacts(ctx, 300)
    track(ctx, contacts, "signup")
    run(ctx)
    rows = enrollments(ctx, journey_id)
    held = {r.contact_id for r in rows if r.held_out == "holdout"}
    assert len(rows) == 300 and 40 <= len(held) <= 80
    messaged = {m.contact_id for m in outbox(ctx)}
    assert messaged == set(contacts) - held
    steps = counts(ctx, journey_id)
    assert steps[("mail", "skipped", "holdout")] == len(held) == steps[("push", "skipped", "holdout")]
    assert steps[("done", "entered", "")] == 300  # they walk the whole journey
    track(ctx, contacts, "Order Completed", revenue=20)
    run(ctx, after=timedelta(minutes=1))
    converted = _conversions(ctx)
    assert len(converted) == 300
    assert {c.contact_id for c in converted if c.held_out == "holdout"} == held
    assert {(c.revenue, c.currency) for c in converted} == {(20.0, "EUR")}


def test_each_journey_holds_out_its_own_share_by_journey_and_contact_not_version(ctx) -> None:
    first = publish(ctx, _doc(holdout=30))
    second = publish(ctx, _doc(holdout=30))
    contacts = add_contacts(ctx, 100)
    track(ctx, contacts, "signup")
    run(ctx)
    held = [{r.contact_id for r in enrollments(ctx, j) if r.held_out} for j in (first, second)]
    assert held[0] and held[1] and held[0] != held[1]  # each journey holds out its own share
    from journeys.revenue import held_out

    assert held[0] == {c for c in contacts if held_out(c, first, 30, 0)}


def test_revenue_is_converted_with_the_rate_and_an_unknown_currency_stays_as_is(ctx) -> None:
    save_revenue_policy(ctx, RevenuePolicy(currency="EUR", rates={"USD": 0.9}), actor="test")
    publish(ctx, _doc())
    a, b, c, d = add_contacts(ctx, 4)
    track(ctx, [a, b, c, d], "signup")
    run(ctx)
    track(ctx, [a], "Order Completed", revenue=100, currency="USD")
    track(ctx, [b], "Order Completed", total="42.50")
    track(ctx, [c], "Order Completed", value=15, currency="JPY")
    track(ctx, [d], "Order Completed", products=[])
    run(ctx, after=timedelta(hours=1))
    got = {row.contact_id: (row.revenue, row.currency) for row in _conversions(ctx)}
    assert got == {a: (90.0, "EUR"), b: (42.5, "EUR"), c: (15.0, "JPY"), d: (None, "")}


def test_workspace_control_group_gets_no_marketing_but_still_gets_transactional_messages(ctx) -> None:
    save_revenue_policy(ctx, RevenuePolicy(control_group_percent=25), actor="test")
    journey_id = publish(ctx, _doc(transactional=True))
    contacts = add_contacts(ctx, 200)
    track(ctx, contacts, "signup")
    run(ctx)
    group = {r.contact_id for r in enrollments(ctx, journey_id) if r.held_out == "control_group"}
    assert 25 <= len(group) <= 75
    assert {m.contact_id for m in outbox(ctx, channel="email")} == set(contacts)  # the receipt still goes
    assert {m.contact_id for m in outbox(ctx, channel="push")} == set(contacts) - group
    assert counts(ctx, journey_id)[("push", "skipped", "control_group")] == len(group)


def test_a_holdout_contact_in_a_split_control_stays_a_holdout(ctx) -> None:
    split = {"variants": [{"port": "A", "weight": 50}, {"port": "C", "weight": 50, "control": True}]}
    doc = journey(
        [
            ("entry", "entry.event", {"event": "signup"}),
            ("split", "split", split),
            ("mail", "message.email", {"subject": "Hi", "body": "<p>Hi</p>"}),
            ("done", "exit", {}),
        ],
        [("entry", "next", "split"), ("split", "A", "mail"), ("split", "C", "mail"), ("mail", "next", "done")],
        settings={"holdout_percent": 30},
    )
    journey_id = publish(ctx, doc)
    contacts = add_contacts(ctx, 200)
    track(ctx, contacts, "signup")
    run(ctx)
    rows = enrollments(ctx, journey_id)
    held = {r.contact_id for r in rows if r.held_out == "holdout"}
    in_control = {r.contact_id for r in rows if r.context.get("variant") == "C"}
    steps = counts(ctx, journey_id)
    assert steps[("mail", "skipped", "holdout")] == len(held)
    assert steps[("mail", "skipped", "control")] == len(in_control - held)
    assert {m.contact_id for m in outbox(ctx)} == set(contacts) - held - in_control
