"""Several workers on one database: contact partitions shared and taken over, jobs once per period, wake-ups.

Workers here are engines with worker identities of their own (as separate processes have) sharing this test's
database; their leases run on the injected clock, which the tests move. The crash test with real processes is
tests/test_scale_out_crash.py.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from app.core.listener import EventListener
from app.engine.engine import Engine
from app.engine.leases import once_per_period
from storage import partitions
from storage.engine_models import Enrollment, OutboxMessage
from tests.engine_support import add_contacts, journey, publish, track

PUSH_JOURNEY = journey(
    [
        ("entry", "entry.event", {"event": "go"}),
        ("push", "message.push", {"body": "Hello"}),
        ("done", "exit", {}),
    ],
    [("entry", "next", "push"), ("push", "next", "done")],
)


def _counts(ctx) -> tuple[int, int]:
    with ctx.db.engine.connect() as conn:
        entered = conn.execute(select(func.count()).select_from(Enrollment.__table__)).scalar_one()
        sent = conn.execute(select(func.count()).select_from(OutboxMessage.__table__)).scalar_one()
    return entered, sent


def _held(ctx) -> dict[str, list[int]]:
    with ctx.db.engine.connect() as conn:
        rows = conn.exec_driver_sql("SELECT part, owner FROM engine_partition ORDER BY part").fetchall()
    out: dict[str, list[int]] = {}
    for part, owner in rows:
        out.setdefault(owner, []).append(part)
    return out


def test_two_workers_share_the_partitions_and_take_every_event_once(ctx, clock) -> None:
    publish(ctx, PUSH_JOURNEY)
    ids = add_contacts(ctx, 40)
    first, second = Engine(ctx, worker="host-a:1:a"), Engine(ctx, worker="host-b:1:b")
    first.leases.held(force=True)  # alone so far: it holds everything
    second.leases.held(force=True)  # a second worker is live: the first gives back the extra at its next turn
    first.leases.held(force=True)
    second.leases.held(force=True)
    held = _held(ctx)
    total = sum(len(parts) for parts in held.values())
    if total > 1:  # PostgreSQL: 16 partitions, split evenly
        assert sorted(len(held[w]) for w in ("host-a:1:a", "host-b:1:b")) == [total // 2, total // 2]
    track(ctx, ids, "go")
    first.run()
    second.run()
    first.run()
    assert _counts(ctx) == (40, 40)
    with ctx.db.engine.connect() as conn:
        assert partitions.unconsumed_events(conn) == 0


def test_a_worker_that_stops_renewing_has_its_partitions_taken_over(ctx, clock) -> None:
    publish(ctx, PUSH_JOURNEY)
    ids = add_contacts(ctx, 30)
    stalled, healthy = Engine(ctx, worker="host-a:1:stalled"), Engine(ctx, worker="host-b:1:healthy")
    stalled.run()
    assert list(_held(ctx)) == ["host-a:1:stalled"]  # it holds every partition
    healthy.run()
    assert "host-b:1:healthy" not in _held(ctx)  # nothing free while the lease lasts
    track(ctx, ids, "go")
    clock.advance(timedelta(seconds=ctx.settings.worker_lease_s + 1))  # the stalled worker never renewed
    healthy.run()
    assert list(_held(ctx)) == ["host-b:1:healthy"]
    assert _counts(ctx) == (30, 30)
    # The stalled worker wakes up with its old list of partitions: the fence stops it before it reads.
    stale = stalled.leases._held
    assert stale and all(stalled._consume(stalled.now(), part) == (0, 0) for part in stale)


def test_a_worker_of_this_host_that_died_is_replaced_at_once(ctx, clock) -> None:
    publish(ctx, PUSH_JOURNEY)
    ids = add_contacts(ctx, 5)
    from app.engine import leases

    ghost = f"{leases.HOST}:999999999:gone"  # no process has this id: it died
    Engine(ctx, worker=ghost).run()
    track(ctx, ids, "go")
    Engine(ctx).run()  # this process: no waiting for the dead worker's lease to run out
    assert _counts(ctx) == (5, 5)


def test_a_stopping_worker_hands_its_partitions_over(ctx, clock) -> None:
    leaving, staying = Engine(ctx, worker="host-a:1:leaving"), Engine(ctx, worker="host-b:1:staying")
    leaving.run()
    leaving.leases.release()
    staying.run()
    assert list(_held(ctx)) == ["host-b:1:staying"]


def test_a_periodic_job_runs_once_per_period_across_workers(ctx, clock) -> None:
    ran: list[str] = []
    assert once_per_period(ctx, "job.test", 60, lambda: ran.append("first"))
    assert not once_per_period(ctx, "job.test", 60, lambda: ran.append("again"))  # same period: skipped
    clock.advance(timedelta(seconds=50))  # another worker's timer firing a little out of step
    assert not once_per_period(ctx, "job.test", 60, lambda: ran.append("early"))
    clock.advance(timedelta(seconds=10))
    assert once_per_period(ctx, "job.test", 60, lambda: ran.append("next period"))
    assert ran == ["first", "next period"]


@pytest.mark.postgres_only
def test_workers_are_woken_by_a_notification_from_another_process(ctx) -> None:
    woken = threading.Event()
    from app.core import wakeup

    unsubscribe = wakeup.subscribe(woken.set)
    listener = EventListener(ctx.db).start()
    try:
        for _ in range(50):  # the listener connects in its own thread; notify until it hears one
            ctx.db.notify_events()
            if woken.wait(0.2):
                break
        assert woken.is_set() and listener.notifications >= 1
    finally:
        listener.stop()
        unsubscribe()


@pytest.mark.postgres_only
def test_the_engine_survives_its_connections_being_cut_as_in_a_database_restart(ctx, clock) -> None:
    publish(ctx, PUSH_JOURNEY)
    ids = add_contacts(ctx, 10)
    engine = Engine(ctx)
    track(ctx, ids[:5], "go")
    engine.run()
    with ctx.db.engine.connect() as conn:  # every other connection to this database goes, as in a restart
        conn.exec_driver_sql(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        conn.commit()
    track(ctx, ids[5:], "go")  # the pool notices its dead connections and opens new ones
    engine.run()
    assert _counts(ctx) == (10, 10)
