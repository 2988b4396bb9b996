"""Helpers for funnel tests: an A/B experiment journey and a randomised population driven on a moved clock."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

from app.core.context import AppContext
from app.delivery.dispatch import Dispatcher
from app.engine.engine import Engine
from tests.engine_support import add_contacts, journey, track


def experiment_doc(*, min_sample: int = 200, window_days: int = 3, send_rest: bool = True, **extra: Any) -> dict:
    """signup -> split A/B (A is the control) -> email A or email B -> wait 1 day -> push -> exit; goal purchase."""
    split = {
        "variants": [{"port": "A", "weight": 50, "control": False}, {"port": "B", "weight": 50}],
        "experiment": {
            "metric": "conversion",
            "min_sample": min_sample,
            "window_days": window_days,
            "send_rest_to_winner": send_rest,
        },
    }
    email = {"subject": "Hello", "body": '<p>Hi <a href="https://example.com/shop">shop</a></p>'}
    nodes = [
        ("entry", "entry.event", {"event": "signup"}),
        ("split", "split", split),
        ("mail_a", "message.email", email),
        ("mail_b", "message.email", {**email, "subject": "Hello B"}),
        ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "days"}}),
        ("push", "message.push", {"title": "Still there?", "body": "Come back"}),
        ("done", "exit", {}),
    ]
    edges = [
        ("entry", "next", "split"),
        ("split", "A", "mail_a"),
        ("split", "B", "mail_b"),
        ("mail_a", "next", "wait"),
        ("mail_b", "next", "wait"),
        ("wait", "next", "push"),
        ("push", "next", "done"),
    ]
    goal = {"event": "purchase", "window": {"amount": 7, "unit": "days"}, "exit_on_goal": False}
    return journey(nodes, edges, name=extra.pop("name", "Welcome test"), goal=goal, **extra)


def simulate(
    ctx: AppContext, journey_id: int, *, people: int, rates: dict[str, float], seed: int, hours: int = 48
) -> list[int]:
    """Sign people up over ``hours`` hours; each converts with its variant's true rate some hours later."""
    rng = random.Random(seed)
    contacts = add_contacts(ctx, people)
    engine, dispatcher = Engine(ctx), Dispatcher(ctx, providers={})
    pending = list(contacts)
    rng.shuffle(pending)
    per_hour = max(1, len(pending) // hours)
    decided: set[int] = set()
    try:
        for _hour in range(hours + 24):
            batch, pending = pending[:per_hour], pending[per_hour:]
            if batch:
                track(ctx, batch, "signup")
            engine.run()
            dispatcher.run()
            buyers = _buyers(ctx, journey_id, rates, rng, decided)
            if buyers:
                track(ctx, buyers, "purchase", amount=rng.randint(5, 200))
                engine.run()
            ctx.clock.advance(timedelta(hours=1))  # type: ignore[attr-defined]
    finally:
        dispatcher.close()
    return contacts


def _buyers(ctx: AppContext, journey_id: int, rates: dict[str, float], rng: random.Random, decided: set[int]) -> list:
    """Contacts assigned a variant this hour draw once whether they will buy, with that variant's rate."""
    from sqlalchemy import select

    from storage.engine_models import Enrollment

    table = Enrollment.__table__
    query = (  # in one order on both databases: each row draws from the seeded generator in turn
        select(table.c.contact_id, table.c.context)
        .where(table.c.journey_id == journey_id)
        .order_by(table.c.contact_id, table.c.entry_no)
    )
    with ctx.db.engine.connect() as conn:
        rows = list(conn.execute(query))
    out = []
    for contact_id, context in rows:
        variant = (context or {}).get("variant")
        if contact_id in decided or variant is None:
            continue
        decided.add(contact_id)
        if rng.random() < rates.get(variant, 0.0):
            out.append(contact_id)
    return out
