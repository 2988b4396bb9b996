"""Ingestion without HTTP: seen times, context columns and segment entries caused by new data."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from app.audience import segment_service
from app.tracking import service as tracking_service
from app.tracking.payloads import Batch
from storage.models import Contact, Event

CONTACTS, EVENTS = Contact.__table__, Event.__table__


def send(ctx, *items: dict) -> None:
    tracking_service.ingest(ctx, Batch.model_validate({"batch": list(items)}).batch)


def track(ts: str, **extra: object) -> dict:
    return {"type": "track", "userId": "u1", "event": "Song Played", "timestamp": ts, **extra}


def test_tracks_widen_seen_times_and_update_context_columns(ctx) -> None:
    send(ctx, track("2026-01-05T10:00:00Z"))
    send(ctx, track("2026-01-07T10:00:00Z", context={"device": {"type": "android"}}), track("2026-01-01T10:00:00Z"))
    with ctx.db.session() as session:
        row = session.execute(select(CONTACTS.c.first_seen_at, CONTACTS.c.last_seen_at, CONTACTS.c.platform)).one()
    assert row == (datetime(2026, 1, 1, 10, tzinfo=UTC), datetime(2026, 1, 7, 10, tzinfo=UTC), "android")


def test_an_event_that_completes_a_behavioural_segment_emits_segment_entered(ctx) -> None:
    buyers = {"kind": "performed", "event": "Order Completed", "op": "at_least", "count": 2}
    segment_service.save_segment(ctx, name="Repeat buyers", condition=buyers)
    order = {"type": "track", "userId": "u1", "event": "Order Completed"}
    send(ctx, {**order, "messageId": "o1"})
    send(ctx, {**order, "messageId": "o2"})
    with ctx.db.session() as session:
        entered = session.execute(select(EVENTS.c.properties).where(EVENTS.c.name == "segment.entered")).scalars()
        assert list(entered) == [{"segment": "Repeat buyers"}]


def _entered(ctx) -> list[dict]:
    with ctx.db.session() as session:
        query = select(EVENTS.c.properties).where(EVENTS.c.name == "segment.entered").order_by(EVENTS.c.id)
        return list(session.execute(query).scalars())


def test_segments_are_rechecked_only_for_what_a_batch_changed(ctx) -> None:
    no_plan = {"kind": "attribute", "attribute": "plan", "op": "not_exists"}
    pro = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "pro"}
    segment_service.save_segment(ctx, name="No plan", condition=no_plan)
    segment_service.save_segment(ctx, name="Pro", condition=pro)
    # A track creates the contact: new contacts are checked against every segment.
    send(ctx, track("2026-01-05T10:00:00Z", messageId="t1"))
    assert _entered(ctx) == [{"segment": "No plan"}]
    # Their plan set behind Parcours's back: a track batch changes no attributes, so "Pro" is not re-read...
    with ctx.db.session() as session:
        session.execute(CONTACTS.update().values(attributes={"plan": "pro"}))
    send(ctx, track("2026-01-05T11:00:00Z", messageId="t2"))
    assert _entered(ctx) == [{"segment": "No plan"}]
    # ...while an identify (attributes changed) re-reads it.
    send(ctx, {"type": "identify", "userId": "u1", "traits": {"plan": "pro"}, "messageId": "i1"})
    assert _entered(ctx) == [{"segment": "No plan"}, {"segment": "Pro"}]
