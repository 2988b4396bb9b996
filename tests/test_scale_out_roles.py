"""The process roles against one database: `web` serves people without running the engine, `worker` processes
split the contact partitions between them and hand them back when stopped, and every role survives its
database connections being cut (as in a database restart)."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import httpx
import pytest

from storage import partitions
from storage.db import Database
from tests.conftest import ROOT, child_env, run_cli
from tests.engine_support import add_contacts, track

CUT = (
    "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
)


def _rows(url: str, statement: str) -> list[tuple]:
    db = Database(url)
    try:
        with db.engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(statement).fetchall()]
    finally:
        db.dispose()


def test_the_web_role_serves_people_and_the_api_without_running_the_engine(web_server, settings) -> None:
    key = run_cli("apikey", "create", "app").stdout.strip()
    with httpx.Client(base_url=web_server.base_url, timeout=60) as client:
        assert client.get("/", follow_redirects=True).status_code == 200  # the first-run page of a new workspace
        tracked = client.post("/v1/track", json={"userId": "u1", "event": "go"}, auth=(key, ""))
        assert tracked.status_code == 200
    # The event is stored and waits for a worker: no engine in this process took a partition or a heartbeat.
    assert _rows(settings.database_url, "SELECT count(*) FROM event") == [(1,)]
    assert _rows(settings.database_url, "SELECT count(*) FROM engine_worker") == [(0,)]


def _worker(log) -> subprocess.Popen[bytes]:
    env = child_env(PARCOURS_ENGINE_INTERVAL_S="0.2", PARCOURS_WORKER_LEASE_S="3")
    return subprocess.Popen([sys.executable, str(ROOT / "main.py"), "worker"], env=env, stdout=log, stderr=log)


@pytest.mark.postgres_only
def test_two_worker_processes_split_the_partitions_and_hand_them_back_when_stopped(settings, tmp_path) -> None:
    with (tmp_path / "workers.log").open("wb") as log:
        workers = [_worker(log), _worker(log)]
        try:
            deadline, owners = time.monotonic() + 60, {}
            while time.monotonic() < deadline:  # real processes start, meet and balance on the wall clock
                rows = _rows(settings.database_url, "SELECT owner, count(*) FROM engine_partition GROUP BY owner")
                owners = dict(rows)
                if None not in owners and sorted(owners.values()) == [8, 8]:
                    break
                time.sleep(0.3)
            assert None not in owners and sorted(owners.values()) == [8, 8], owners
        finally:
            for worker in workers:
                worker.send_signal(signal.SIGTERM)
            for worker in workers:
                worker.wait(timeout=30)
    owners_left = _rows(settings.database_url, "SELECT DISTINCT owner FROM engine_partition")
    assert owners_left == [(None,)], (tmp_path / "workers.log").read_text()[-3000:]


@pytest.mark.postgres_only
def test_ingestion_survives_its_connections_being_cut(ingest_server, settings) -> None:
    key = run_cli("apikey", "create", "app").stdout.strip()
    url = ingest_server.base_url + "/v1/batch"

    def batch(tag: str) -> dict:
        calls = [{"type": "track", "userId": f"u{i}", "event": "go", "messageId": f"{tag}{i}"} for i in range(20)]
        return {"batch": calls}

    with httpx.Client(auth=(key, ""), timeout=60) as client:
        assert client.post(url, json=batch("a")).status_code == 200
        _rows(settings.database_url, CUT)
        assert client.post(url, json=batch("b")).status_code == 200
    assert _rows(settings.database_url, "SELECT count(*) FROM event") == [(40,)]


@pytest.mark.postgres_only
def test_the_web_role_survives_its_connections_being_cut(web_server, settings) -> None:
    with httpx.Client(base_url=web_server.base_url, timeout=60) as client:
        assert client.get("/", follow_redirects=True).status_code == 200
        assert _rows(settings.database_url, CUT)[0][0] >= 1  # the web process held at least one connection
        page = client.get("/", follow_redirects=True)
    assert page.status_code == 200 and "Parcours" in page.text


@pytest.mark.postgres_only
def test_a_worker_process_survives_its_connections_being_cut_and_takes_the_events_after(ctx, tmp_path) -> None:
    """Its pooled connections and its LISTEN connection are cut; it reconnects and takes what arrives next."""
    ids = add_contacts(ctx, 20)
    with (tmp_path / "worker.log").open("wb") as log:
        worker = _worker(log)
        try:
            _until(ctx, lambda conn: partitions.unconsumed_events(conn) == 0 and _owned(conn) == 16)
            assert _rows(ctx.settings.database_url, CUT)[0][0] >= 2  # its pool and its listener
            track(ctx, ids, "go")
            _until(ctx, lambda conn: partitions.unconsumed_events(conn) == 0)
            assert worker.poll() is None, "the worker is still running"
        finally:
            worker.send_signal(signal.SIGTERM)
            worker.wait(timeout=30)


def _owned(conn) -> int:  # noqa: ANN001
    return int(conn.exec_driver_sql("SELECT count(owner) FROM engine_partition").scalar_one())


def _until(ctx, done, seconds: float = 60) -> None:  # noqa: ANN001
    """Waits for a real process on the wall clock (its own pace), failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        with ctx.db.engine.connect() as conn:
            if done(conn):
                return
        time.sleep(0.2)
    raise AssertionError("the worker did not get there in time")
