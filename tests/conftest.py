"""Shared fixtures: every test runs on each database named by ``PARCOURS_TEST_DATABASES`` (``sqlite``, the
default; ``postgresql``; or ``sqlite,postgresql``): a real SQLite file, or a clean real PostgreSQL database, with
settings pointing at it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from app.core import context
from app.core.settings import Settings, get_settings
from journeys.clock import FrozenClock
from tests import postgres

ROOT = Path(__file__).resolve().parent.parent


DATABASES = [n for n in ("sqlite", "postgresql") if n in os.environ.get("PARCOURS_TEST_DATABASES", "sqlite")]


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Tests about one database's own behaviour run on it only (deselected, not skipped, on the other)."""
    keep, drop = [], []
    for item in items:
        on_postgres = "[postgresql" in item.name
        only = "sqlite_only" if on_postgres else "postgres_only"
        (drop if item.get_closest_marker(only) else keep).append(item)
    if drop:
        config.hook.pytest_deselected(items=drop)
        items[:] = keep


def pytest_sessionfinish(session: pytest.Session) -> None:
    if "postgresql" in DATABASES:
        postgres.drop_process_database()


@pytest.fixture(autouse=True, params=DATABASES)
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """This test's database: a SQLite file in its directory, or this process's PostgreSQL database emptied back
    to its just-migrated state."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'parcours.db'}"
        return
    # The same database each time, under a URL of the test's own: what a process keys by database URL (a fitted
    # FAQ index, a cached answer) starts afresh, as it does with each test's own SQLite file.
    yield postgres.url_for(postgres.clean_database()) + f"?application_name={tmp_path.name[:48]}"


@pytest.fixture(autouse=True)
def settings(database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    monkeypatch.setenv("PARCOURS_DATABASE_URL", database_url)
    monkeypatch.setenv("PARCOURS_SECRET", "test-secret-" + tmp_path.name)
    monkeypatch.setenv("PARCOURS_RUN_WORKER", "false")
    get_settings.cache_clear()
    yield get_settings()
    get_settings.cache_clear()
    context.close()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock()


@pytest.fixture
def ctx(settings: Settings, clock: FrozenClock) -> Iterator[context.AppContext]:
    yield context.init(settings, clock)
    context.close()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def child_env(**extra: str) -> dict[str, str]:
    """The environment for a child process: this test's settings, without pytest's markers."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PYTEST_", "NICEGUI_"))}
    return {**env, **extra}


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python main.py ARGS`` as a user would, with this test's settings in the environment."""
    return subprocess.run(
        [sys.executable, str(ROOT / "main.py"), *args],
        capture_output=True,
        text=True,
        env=child_env(**(env or {})),
        cwd=cwd or ROOT,
        timeout=120,
    )


class ServerProcess:
    def __init__(self, proc: subprocess.Popen[bytes], base_url: str, log: Path) -> None:
        self.proc, self.base_url, self.log = proc, base_url, log


@pytest.fixture
def server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The real app (`python main.py`) on a free loopback port with this test's database."""
    yield from _serve(tmp_path, [], "/")


@pytest.fixture
def ingest_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The ingestion role in two processes (`python main.py ingest --processes 2`), with this test's database."""
    yield from _serve(tmp_path, ["ingest", "--processes", "2"], "/api/v1/health")


@pytest.fixture
def web_server(tmp_path: Path) -> Iterator[ServerProcess]:
    """The web role (`python main.py web`): UI and management API, no engine."""
    yield from _serve(tmp_path, ["web"], "/api/v1/health")


def _serve(tmp_path: Path, args: list[str], ready: str) -> Iterator[ServerProcess]:
    port = free_port()
    log = tmp_path / "server.log"
    env = child_env(PARCOURS_PORT=str(port), PARCOURS_HOST="127.0.0.1")
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [sys.executable, str(ROOT / "main.py"), *args],
            cwd=tmp_path,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base_url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited early:\n{log.read_text()}")
        try:
            if httpx.get(base_url + ready, timeout=2).status_code < 500:
                break
        except httpx.HTTPError:
            time.sleep(0.2)  # waiting for a real process to bind its port, not for simulated time
    else:
        proc.kill()
        raise RuntimeError(f"server did not start:\n{log.read_text()}")
    yield ServerProcess(proc, base_url, log)
    proc.terminate()
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


def load_template_dict(slug: str) -> dict[str, Any]:
    return json.loads((ROOT / "journeys" / "templates" / f"{slug}.json").read_text())
