"""Poisoned rows written straight into storage, past every validator, for the quarantine tests."""

from __future__ import annotations

from typing import Any

from app.core.context import AppContext
from app.delivery.dispatch import Dispatcher
from storage import partitions, raw
from tests.engine_support import journey

WAIT_THEN_PUSH = journey(
    [
        ("entry", "entry.event", {"event": "signed_up"}),
        ("wait", "wait.duration", {"duration": {"amount": 1, "unit": "hours"}}),
        ("push", "message.push", {"body": "Hi {{ contact.first_name }}"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "wait"), ("wait", "next", "push"), ("push", "next", "done")],
)


def sql(ctx: AppContext, statement: str, *params: Any) -> Any:
    with ctx.db.engine.begin() as conn:
        return conn.exec_driver_sql(raw.adapt(conn, statement), params)


def raw_event(ctx: AppContext, contact_id: int, name: str, properties_text: str) -> int:
    """An event row whose properties column holds exactly ``properties_text``."""
    now = ctx.clock.now().replace(tzinfo=None).isoformat(sep=" ")
    with ctx.db.engine.begin() as conn:
        return conn.exec_driver_sql(
            "INSERT INTO event (contact_id, name, properties, timestamp, received_at) VALUES (?, ?, ?, ?, ?)",
            (contact_id, name, properties_text, now, now),
        ).lastrowid


def raw_outbox(
    ctx: AppContext,
    message_id: str,
    contact_id: int,
    channel: str,
    payload_text: str,
    *,
    journey_id: int = 1,
    transactional: bool = False,
) -> int:
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.begin() as conn:
        (row,) = raw.fetch(
            conn,
            "INSERT INTO outbox (message_id, journey_id, version_id, node_id, variant, contact_id, channel,"
            " transactional, payload, status, attempts, next_attempt_at, created_at)"
            " VALUES (?, ?, 1, 'msg', '', ?, ?, ?, ?, 'pending', 0, ?, ?) RETURNING id",
            (message_id, journey_id, contact_id, channel, transactional, payload_text, now, now),
        )
        return int(row[0])


def event_cursor(ctx: AppContext) -> int:
    """Where the engine's event intake stands (SQLite has one partition; its cursor)."""
    with ctx.db.engine.connect() as conn:
        return max(partitions.positions(conn).values())


def dispatch(ctx: AppContext) -> int:
    dispatcher = Dispatcher(ctx)
    try:
        return dispatcher.run()
    finally:
        dispatcher.close()
