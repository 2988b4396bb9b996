"""Helpers for engine tests: contacts, events and published journeys written the way ingestion does."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from sqlalchemy import func, insert, select

from app.authoring import service as journey_service
from app.core.context import AppContext
from app.engine.engine import Engine
from storage.engine_models import Enrollment, OutboxMessage, StepCount
from storage.models import Contact, Event
from tests.conftest import load_template_dict


def add_contacts(ctx: AppContext, count: int, **fields: Any) -> list[int]:
    now = ctx.clock.now()
    consent = fields.pop("consent", {"push": "subscribed", "sms": "subscribed", "email": "subscribed"})
    attributes = fields.pop("attributes", {})
    with ctx.db.engine.begin() as conn:
        start = conn.execute(select(func.coalesce(func.max(Contact.__table__.c.id), 0))).scalar_one()
        rows = [
            {
                "external_id": f"user-{start + i + 1}",
                "email": f"user{start + i + 1}@example.com",
                "phone": f"+3361234{start + i + 1:04d}",
                "attributes": {"first_name": f"Ann{start + i + 1}", **attributes},
                "consent": consent,
                "created_at": now,
                "updated_at": now,
                **fields,
            }
            for i in range(count)
        ]
        conn.execute(insert(Contact.__table__), rows)
    return list(range(start + 1, start + count + 1))


def track(ctx: AppContext, contact_ids: list[int], name: str, **properties: Any) -> None:
    now = ctx.clock.now()
    rows = [
        {"contact_id": cid, "name": name, "properties": properties, "timestamp": now, "received_at": now}
        for cid in contact_ids
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Event.__table__), rows)


def publish(ctx: AppContext, doc: dict[str, Any] | str) -> int:
    data = load_template_dict(doc) if isinstance(doc, str) else doc
    journey_id = journey_service.import_journey(ctx, json.dumps(data))
    journey_service.publish(ctx, journey_id)
    return journey_id


def run(ctx: AppContext, engine: Engine | None = None, *, after: timedelta | None = None) -> int:
    if after is not None:
        ctx.clock.advance(after)  # type: ignore[attr-defined]
    return (engine or Engine(ctx)).run()


def outbox(ctx: AppContext, **where: Any) -> list[Any]:
    table = OutboxMessage.__table__
    query = select(table).order_by(table.c.id)
    for key, value in where.items():
        query = query.where(table.c[key] == value)
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(query))


def enrollments(ctx: AppContext, journey_id: int) -> list[Any]:
    table = Enrollment.__table__
    with ctx.db.engine.connect() as conn:
        return list(conn.execute(select(table).where(table.c.journey_id == journey_id).order_by(table.c.contact_id)))


def counts(ctx: AppContext, journey_id: int) -> dict[tuple[str, str, str], int]:
    """(node, outcome, reason) -> count, summed over versions and variants."""
    table = StepCount.__table__
    query = (
        select(table.c.node_id, table.c.outcome, table.c.reason, func.sum(table.c.count))
        .where(table.c.journey_id == journey_id)
        .group_by(table.c.node_id, table.c.outcome, table.c.reason)
    )
    with ctx.db.engine.connect() as conn:
        return {(n, o, r): int(c) for n, o, r, c in conn.execute(query)}


def journey(nodes: list[tuple[str, str, dict[str, Any]]], edges: list[tuple[str, str, str]], **extra: Any) -> dict:
    """A document from (id, type, config) nodes and (source, port, target) edges."""
    return {
        "schema_version": 1,
        "name": extra.pop("name", "Test journey"),
        "nodes": [{"id": i, "type": t, "config": c} for i, t, c in nodes],
        "edges": [{"source": s, "port": p, "target": t} for s, p, t in edges],
        **extra,
    }


def all_of(*conditions: dict[str, Any]) -> dict[str, Any]:
    return {"kind": "group", "match": "all", "conditions": list(conditions)}


def branch_journey(event: str, condition: dict[str, Any]) -> dict:
    """Entry on ``event``, one branch on ``condition``, ending on the exit ``yes`` or ``no``."""
    return journey(
        [
            ("entry", "entry.event", {"event": event}),
            ("check", "branch", {"condition": condition}),
            ("yes", "exit", {}),
            ("no", "exit", {}),
        ],
        [("entry", "next", "check"), ("check", "yes", "yes"), ("check", "no", "no")],
    )
