"""Retention: the daily job is scheduled, and ``python main.py gdpr purge`` applies the settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from sqlalchemy import insert, select

from app.core import runtime
from storage.models import Event
from tests.conftest import run_cli
from tests.engine_support import add_contacts


async def test_runtime_schedules_the_daily_retention_job(ctx) -> None:
    started = runtime.start(ctx)
    try:
        job = started.scheduler.get_job(runtime.RETENTION_JOB)
        assert job is not None and job.trigger.interval == timedelta(days=1)
    finally:
        runtime.stop()


def test_cli_purge_deletes_events_older_than_the_retention(ctx) -> None:
    (cid,) = add_contacts(ctx, 1)
    now = datetime.now(UTC)
    rows = [
        {"contact_id": cid, "name": name, "properties": {}, "timestamp": at, "received_at": at}
        for name, at in (("Old", now - timedelta(days=40)), ("Recent", now - timedelta(days=2)))
    ]
    with ctx.db.engine.begin() as conn:
        conn.execute(insert(Event.__table__), rows)
    kept = run_cli("gdpr", "purge")
    assert kept.returncode == 0, kept.stderr
    assert json.loads(kept.stdout) == {"events": 0, "messages": 0}
    purged = run_cli("gdpr", "purge", env={"PARCOURS_RETENTION_EVENTS_DAYS": "30"})
    assert json.loads(purged.stdout) == {"events": 1, "messages": 0}
    with ctx.db.engine.connect() as conn:
        assert [r.name for r in conn.execute(select(Event.__table__.c.name))] == ["Recent"]


def test_cli_erase_needs_confirmation_and_names_unknown_contacts(ctx) -> None:
    add_contacts(ctx, 1)
    unknown = run_cli("gdpr", "erase", "nobody", "--yes")
    assert (unknown.returncode, unknown.stderr.strip()) == (1, "error: external_id: no contact 'nobody'")
    unconfirmed = run_cli("gdpr", "erase", "user-1")
    assert unconfirmed.returncode == 1 and "--yes" in unconfirmed.stderr
    assert run_cli("gdpr", "erase", "user-1", "--yes").returncode == 0
    assert run_cli("gdpr", "export", "user-1").returncode == 1
