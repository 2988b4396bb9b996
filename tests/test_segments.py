"""Saved segments on a real SQLite file: CRUD, counts, samples, member queries and segment entries."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import insert, select, update

from app.audience import segment_service
from app.core import wakeup
from journeys.conditions import SegmentCycle, UnknownSegment
from storage import segments
from storage.models import Contact, Event

GOLD = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "gold"}


def add_contact(ctx: Any, **fields: Any) -> int:
    now = ctx.clock.now()
    with ctx.db.session() as session:
        values = {"attributes": {}, "consent": {}, "created_at": now, "updated_at": now, **fields}
        return session.execute(insert(Contact.__table__).values(**values)).inserted_primary_key[0]


def test_saved_segment_counts_and_samples_its_members(ctx) -> None:
    gold = add_contact(ctx, attributes={"plan": "gold"}, email="g@example.com")
    add_contact(ctx, attributes={"plan": "silver"})
    with ctx.db.session() as session:
        segments.create_segment(session, name="Gold", condition=GOLD, now=ctx.clock.now())
    with ctx.db.session() as session:
        ref = {"kind": "segment", "segment": "Gold"}
        assert segments.count_segment(session, condition=ref, now=ctx.clock.now()) == 1
        sample = segments.sample_segment(session, condition=ref, now=ctx.clock.now())
        assert [row["email"] for row in sample] == ["g@example.com"]
        query = segments.segment_member_query(session, segment="Gold", now=ctx.clock.now())
        assert set(session.execute(query).scalars()) == {gold}


def test_segment_names_are_unique_and_unknown_names_are_named(ctx) -> None:
    with ctx.db.session() as session:
        segments.create_segment(session, name="Gold", condition=GOLD, now=ctx.clock.now())
        with pytest.raises(segments.DuplicateSegment):
            segments.create_segment(session, name="Gold", condition=GOLD, now=ctx.clock.now())
        with pytest.raises(UnknownSegment, match="Platinum"):
            segments.segment_member_query(session, segment="Platinum", now=ctx.clock.now())


def test_a_segment_cannot_refer_to_itself_through_another(ctx) -> None:
    with ctx.db.session() as session:
        segments.create_segment(session, name="A", condition=GOLD, now=ctx.clock.now())
        segments.create_segment(session, name="B", condition={"kind": "segment", "segment": "A"}, now=ctx.clock.now())
        with pytest.raises(SegmentCycle):
            segments.update_segment(
                session, name="A", condition={"kind": "segment", "segment": "B"}, now=ctx.clock.now()
            )


def test_matching_contact_ids_restricts_to_a_batch_and_reads_the_trigger(ctx) -> None:
    first = add_contact(ctx, attributes={"plan": "gold"})
    add_contact(ctx, attributes={"plan": "gold"})
    tree = {
        "kind": "group",
        "conditions": [GOLD, {"kind": "event_property", "property": "total", "op": "gt", "value": 10}],
    }
    with ctx.db.session() as session:
        now = ctx.clock.now()
        assert segments.matching_contact_ids(
            session, tree, now=now, contact_ids=[first], event_properties={"total": 11}
        ) == {first}
        assert segments.matching_contact_ids(session, tree, now=now, event_properties={"total": 9}) == set()


def test_geofence_edge_in_sql(ctx) -> None:
    inside = add_contact(ctx, lat=48.8566 + 0.0089, lon=2.3522)  # about 990 m north
    add_contact(ctx, lat=48.8566 + 0.0091, lon=2.3522)  # about 1,012 m north
    tree = {"kind": "geofence", "lat": 48.8566, "lon": 2.3522, "radius_m": 1000}
    with ctx.db.session() as session:
        assert segments.matching_contact_ids(session, tree, now=ctx.clock.now()) == {inside}


def _entered(ctx: Any) -> list[tuple[int, dict]]:
    with ctx.db.session() as session:
        rows = session.execute(
            select(Event.__table__.c.contact_id, Event.__table__.c.properties).where(
                Event.__table__.c.name == "segment.entered"
            )
        )
        return [tuple(row) for row in rows]


def test_contacts_newly_matching_a_segment_get_a_segment_entered_event(ctx) -> None:
    existing = add_contact(ctx, attributes={"plan": "gold"})
    later = add_contact(ctx, attributes={"plan": "silver"})
    with ctx.db.session() as session:
        segments.create_segment(session, name="Gold", condition=GOLD, now=ctx.clock.now())
    woken: list[int] = []
    unsubscribe = wakeup.subscribe(lambda: woken.append(1))
    try:
        segment_service.reevaluate_segments(ctx, everything=True)
        assert _entered(ctx) == [], "members found by the first pass entered silently"
        with ctx.db.session() as session:
            session.execute(
                update(Contact.__table__).where(Contact.__table__.c.id == later).values(attributes={"plan": "gold"})
            )
            result = segment_service.refresh_contacts(session, contact_ids=[later], ctx=ctx)
        assert result.entered == {"Gold": [later]}
        assert _entered(ctx) == [(later, {"segment": "Gold"})]
        segment_service.reevaluate_segments(ctx, everything=True)
        assert len(_entered(ctx)) == 1, "a member does not enter twice"
        assert existing not in [cid for cid, _ in _entered(ctx)]
    finally:
        unsubscribe()


def test_time_based_segment_is_entered_when_the_clock_moves(ctx) -> None:
    contact = add_contact(ctx, attributes={"renewal": "2026-01-20"})
    soon = {"kind": "attribute", "attribute": "renewal", "op": "within_next_days", "value": 7}
    with ctx.db.session() as session:
        segments.create_segment(session, name="Renewing", condition=soon, now=ctx.clock.now())
    woken: list[int] = []
    unsubscribe = wakeup.subscribe(lambda: woken.append(1))
    try:
        segment_service.reevaluate_segments(ctx)
        assert _entered(ctx) == [] and woken == []
        ctx.clock.advance(timedelta(days=10))
        segment_service.reevaluate_segments(ctx)
        assert _entered(ctx) == [(contact, {"segment": "Renewing"})]
        assert woken == [1]
    finally:
        unsubscribe()


def _members(ctx: Any) -> list[tuple[int, int]]:
    from storage.audience_models import SegmentMember

    table = SegmentMember.__table__
    with ctx.db.engine.connect() as conn:
        return sorted((r.segment_id, r.contact_id) for r in conn.execute(select(table)))


def test_saving_a_segment_takes_its_first_pass_at_once(ctx) -> None:
    gold = add_contact(ctx, attributes={"plan": "gold"})
    silver_member = add_contact(ctx, attributes={"plan": "silver"})
    segment_service.save_segment(ctx, name="Gold", condition=GOLD)
    with ctx.db.session() as session:
        row = segments.get_segment(session, name="Gold")
        assert row.baseline_at is not None
    assert _members(ctx) == [(row.id, gold)] and _entered(ctx) == []  # recorded silently
    # Redefining it starts a new silent baseline with the new members.
    silver = {"kind": "attribute", "attribute": "plan", "op": "eq", "value": "silver"}
    segment_service.save_segment(ctx, name="Gold", condition=silver, original="Gold")
    assert [cid for _, cid in _members(ctx)] == [silver_member] and _entered(ctx) == []


def test_ingestion_leaves_a_segment_without_baseline_to_the_full_pass(ctx) -> None:
    add_contact(ctx, attributes={"plan": "gold"})
    touched = add_contact(ctx, attributes={"plan": "gold"})
    with ctx.db.session() as session:  # a segment whose first pass has not run yet
        segments.create_segment(session, name="Gold", condition=GOLD, now=ctx.clock.now())
        result = segment_service.refresh_contacts(session, contact_ids=[touched], ctx=ctx)
    assert result.entered == {} and _members(ctx) == []  # no scan of every contact inside a batch
    segment_service.reevaluate_segments(ctx)  # the periodic job takes the first pass
    assert len(_members(ctx)) == 2 and _entered(ctx) == []


def test_the_runtime_schedules_the_segment_refresh(ctx) -> None:
    import asyncio

    from app.core import runtime

    ctx.settings.segment_refresh_s = 120

    async def scheduled() -> tuple[float, Any]:
        running = runtime.start(ctx)
        try:
            job = running.scheduler.get_job(runtime.SEGMENTS_JOB)
            return job.trigger.interval.total_seconds(), job.func
        finally:
            await asyncio.to_thread(runtime.stop)

    seconds, func = asyncio.run(scheduled())
    assert seconds == 120 and func is runtime.run_segments
