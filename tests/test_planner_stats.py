"""PostgreSQL's planner statistics of the engine's hot tables are refreshed when a burst made them stale.

Without it, a table that grew from nothing is planned as a 20-row table until autovacuum wakes (or forever where
it is off): an index is read whole for every batch and the engine slows down as its tables grow.
"""

from __future__ import annotations

import pytest

from app.engine.planner import PlannerStatistics
from storage import planner_stats
from tests.engine_support import add_contacts

pytestmark = pytest.mark.postgres_only


def _estimated_rows(ctx, table: str) -> float:  # noqa: ANN001
    with ctx.db.engine.connect() as conn:
        return float(conn.exec_driver_sql(f"SELECT reltuples FROM pg_class WHERE relname = '{table}'").scalar_one())


def _burst(ctx, contacts: int) -> None:  # noqa: ANN001
    """Enrollments written straight in; the server counts the changed rows when the transaction ends (its
    statistics are flushed at once, not on the backend's usual one-second beat)."""
    ids = add_contacts(ctx, contacts)
    with ctx.db.engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO enrollment (journey_id, version_id, contact_id, entry_no, node_id, status, phase, due_at,"
            " context, entered_at, updated_at, held_out)"
            " SELECT 1, 1, c, 1, 'wait', 'active', 0, 0, '{}', 0, 0, '' FROM unnest(%(ids)s::bigint[]) AS c",
            {"ids": ids},
        )
        conn.exec_driver_sql("SELECT pg_stat_force_next_flush()")


def test_a_burst_of_enrollments_is_analysed_once_and_then_left_alone(ctx) -> None:  # noqa: ANN001
    _burst(ctx, 600)
    assert _estimated_rows(ctx, "enrollment") < 600  # the planner still sees the empty table
    with ctx.db.engine.begin() as conn:
        assert "enrollment" in planner_stats.refresh(conn)
    assert _estimated_rows(ctx, "enrollment") == 600
    with ctx.db.engine.begin() as conn:
        assert "enrollment" not in planner_stats.refresh(conn)  # fresh now: nothing to do


def test_the_engine_checks_at_most_every_few_seconds_of_its_own_clock(ctx) -> None:  # noqa: ANN001
    now = [100.0]
    statistics = PlannerStatistics(ctx, every_s=2.0, clock=lambda: now[0])
    _burst(ctx, 300)
    assert "enrollment" in statistics.refresh_if_due()  # the first batch checks at once
    _burst(ctx, 300)
    now[0] += 1.0
    assert statistics.refresh_if_due() == []  # not yet due: no query at all
    now[0] += 1.5
    assert "enrollment" in statistics.refresh_if_due()
    assert _estimated_rows(ctx, "enrollment") == 600
