"""`python main.py db copy --to URL`: a real workspace copied into a real PostgreSQL database, then checked.

The source is a demo workspace (contacts, events, journeys, enrollments, messages, counters); the target a
database created on the test server for each test and dropped after it.
"""

from __future__ import annotations

import hashlib
import io
import shutil
import sqlite3
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError
from sqlmodel import select

from app.authoring import service as authoring
from app.core import context
from app.core.progress import ProgressBar
from app.core.settings import Settings
from app.tracking.payloads import Identify
from app.tracking.service import ingest
from journeys.clock import FrozenClock
from storage import partitions, segments
from storage.copy import first_non_empty, open_read_only, row_count, snapshot, tables
from storage.db import Database
from storage.models import Contact
from storage.trust_models import StoredSecret
from tests import postgres
from tests.conftest import run_cli

NOW = datetime(2026, 12, 4, 12, 0, tzinfo=UTC)


def _admin(sql: str) -> None:
    url = make_url(postgres.server_url()).set(drivername="postgresql")
    with psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5) as conn:
        conn.execute(sql)


def _until_the_test_ends(name: str) -> Iterator[str]:
    yield postgres.url_for(name)
    context.close()
    postgres.drop(name)


@pytest.fixture
def bare_target() -> Iterator[str]:
    """A PostgreSQL database with no tables yet (the copy migrates it); its URL."""
    name = "parcours_copy_" + uuid.uuid4().hex[:12]
    _admin(f'CREATE DATABASE "{name}"')
    yield from _until_the_test_ends(name)


@pytest.fixture
def target() -> Iterator[str]:
    """A PostgreSQL database at the current schema, with no rows; its URL."""
    yield from _until_the_test_ends(postgres.fresh_database())


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo workspace on SQLite, made once for the module: each test copies the file."""
    path = tmp_path_factory.mktemp("demo") / "demo.db"
    env = {"PARCOURS_DATABASE_URL": f"sqlite:///{path}", "PARCOURS_SECRET": "copy-demo", "PARCOURS_RUN_WORKER": "0"}
    result = run_cli("demo", "load", "--contacts", "40", "--replay-minutes", "5", env=env)
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture
def source(demo_file: Path, tmp_path: Path) -> dict[str, str]:
    """The environment of a command whose configured database is a fresh copy of the demo file."""
    path = tmp_path / "source.db"
    shutil.copyfile(demo_file, path)
    return {"PARCOURS_DATABASE_URL": f"sqlite:///{path}"}


def _seen_by_the_app(settings: Settings, url: str) -> tuple[list[tuple[int, str, str]], dict[str, int]]:
    """Journeys as the management API lists them, and each saved segment's count, read through the app."""
    ctx = context.init(settings.model_copy(update={"database_url": url}), FrozenClock(NOW))
    try:
        journeys = [(row.id, row.name, row.status) for row, _ in authoring.list_overview(ctx)]
        with ctx.db.session() as session:
            counts = {
                s.name: segments.count_segment(session, condition=s.condition, now=NOW)
                for s in segments.list_segments(session)
            }
        return journeys, counts
    finally:
        context.close()


def test_copy_moves_the_whole_workspace_and_the_app_runs_on_it(settings: Settings, bare_target: str) -> None:
    target = bare_target
    loaded = run_cli("demo", "load", "--contacts", "30", "--replay-minutes", "5")
    assert loaded.returncode == 0, loaded.stderr

    result = run_cli("db", "copy", "--to", target)

    assert result.returncode == 0, result.stderr
    assert "verified: " in result.stdout and "MISMATCH" not in result.stdout
    before = _seen_by_the_app(settings, settings.database_url)
    after = _seen_by_the_app(settings, target)
    assert after == before
    assert len(before[0]) == 16 and before[1]
    # The copy's engine starts where the source's stood: events already taken are not taken again.
    left = []
    for url in (settings.database_url, target):
        copy_ctx = context.init(settings.model_copy(update={"database_url": url}), FrozenClock(NOW))
        with copy_ctx.db.engine.connect() as conn:
            left.append(partitions.unconsumed_events(conn))
        context.close()
    assert left[0] == left[1]
    # Sequences moved past the copied ids: a new person gets a new contact, not a collision.
    ctx = context.init(settings.model_copy(update={"database_url": target}), FrozenClock(NOW))
    with ctx.db.engine.connect() as conn:
        highest = conn.exec_driver_sql("SELECT max(id) FROM contact").scalar_one()
    ingest(ctx, [Identify(userId="after-the-move", traits={"email": "new@example.com"})])
    with ctx.db.engine.connect() as conn:
        new_id = conn.exec_driver_sql("SELECT id FROM contact WHERE external_id = 'after-the-move'").scalar_one()
    assert new_id > highest


def _fingerprint(path: Path) -> tuple[str, int]:
    return hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_mtime_ns


@pytest.mark.sqlite_only
def test_copy_never_changes_the_source_file(source: dict[str, str], target: str) -> None:
    path = Path(make_url(source["PARCOURS_DATABASE_URL"]).database or "")
    before = _fingerprint(path)

    result = run_cli("db", "copy", "--to", target, env=source)

    assert result.returncode == 0, result.stderr
    assert _fingerprint(path) == before


@pytest.mark.sqlite_only
def test_copy_shows_progress_per_table_on_stderr(source: dict[str, str], target: str) -> None:
    path = make_url(source["PARCOURS_DATABASE_URL"]).database
    with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as conn:
        events = conn.execute("SELECT count(*) FROM event").fetchone()[0]

    result = run_cli("db", "copy", "--to", target, env=source)

    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    event_line = next(line for line in lines if line.startswith("event "))
    assert f"{events:,} / {events:,} rows" in event_line and "rows/s" in event_line
    assert {line.split()[0] for line in lines} == {table.name for table in tables()}
    assert "Traceback" not in result.stderr


@pytest.mark.sqlite_only
def test_copy_refuses_a_target_that_holds_data_and_writes_nothing(source: dict[str, str], target: str) -> None:
    database = Database(target)
    with database.engine.begin() as conn:
        conn.exec_driver_sql("INSERT INTO engine_cursor (name, position) VALUES ('already-here', 7)")

    result = run_cli("db", "copy", "--to", target, env=source)

    assert result.returncode == 1
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "already holds data (table engine_cursor)" in result.stderr
    with database.engine.connect() as conn:
        assert conn.exec_driver_sql("SELECT count(*) FROM engine_cursor").scalar_one() == 1
        assert first_non_empty(conn, [t for t in tables() if t.name != "engine_cursor"]) is None
    database.dispose()


@pytest.mark.sqlite_only
def test_verify_names_the_table_whose_rows_differ(source: dict[str, str], target: str) -> None:
    assert run_cli("db", "copy", "--to", target, env=source).returncode == 0
    database = Database(target)
    with database.engine.begin() as conn:  # same row count, one value changed
        conn.exec_driver_sql(
            'UPDATE contact SET attributes = attributes || \'{"plan": "tampered"}\''
            " WHERE id = (SELECT min(id) FROM contact)"
        )
    database.dispose()

    result = run_cli("db", "verify", "--to", target, env=source)

    assert result.returncode == 1
    assert result.stderr.strip().startswith("error: table contact differs")
    contact_line = next(line for line in result.stdout.splitlines() if line.startswith("contact "))
    assert "MISMATCH" in contact_line
    assert all("MISMATCH" not in line for line in result.stdout.splitlines() if not line.startswith("contact "))


@pytest.mark.sqlite_only
def test_a_failed_copy_leaves_the_target_empty_and_says_how_to_retry(source: dict[str, str], target: str) -> None:
    # SQLite keeps a NUL character in text; PostgreSQL refuses it, so the copy fails at the event table.
    path = make_url(source["PARCOURS_DATABASE_URL"]).database
    with sqlite3.connect(str(path)) as conn:
        conn.execute("UPDATE event SET name = 'bad' || char(0) || 'name' WHERE id = (SELECT max(id) FROM event)")

    result = run_cli("db", "copy", "--to", target, env=source)

    assert result.returncode == 1
    assert "copy failed at table event" in result.stderr and "run the command again" in result.stderr
    assert "Traceback" not in result.stderr
    database = Database(target)
    with database.engine.connect() as conn:
        assert first_non_empty(conn, tables()) is None
    database.dispose()


@pytest.mark.sqlite_only
@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///elsewhere.db", "is not PostgreSQL"),
        ("not a url at all", "not a database URL"),
        ("postgresql://copier:hunter2@127.0.0.1:1/nowhere", "target postgresql+psycopg://copier:***@127.0.0.1:1/"),
    ],
)
def test_bad_targets_get_one_line_and_no_password(source: dict[str, str], url: str, expected: str) -> None:
    result = run_cli("db", "copy", "--to", url, env=source)

    assert result.returncode == 1
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert expected in result.stderr
    assert "hunter2" not in result.stderr + result.stdout


@pytest.mark.sqlite_only
def test_a_missing_source_is_named_and_not_created(tmp_path: Path, target: str) -> None:
    missing = tmp_path / "nothing-here.db"

    result = run_cli("db", "copy", "--to", target, env={"PARCOURS_DATABASE_URL": f"sqlite:///{missing}"})

    assert result.returncode == 1
    assert "no database file there" in result.stderr
    assert not missing.exists()


@pytest.mark.sqlite_only
def test_the_source_is_read_from_one_snapshot_and_cannot_be_written(source: dict[str, str]) -> None:
    url = source["PARCOURS_DATABASE_URL"]
    engine = open_read_only(url)
    cursors = next(t for t in tables() if t.name == "engine_cursor")
    with snapshot(engine) as read:
        before = row_count(read, cursors)
        with sqlite3.connect(str(make_url(url).database)) as other:  # the application writing meanwhile
            other.execute("INSERT INTO engine_cursor (name, position) VALUES ('during-the-copy', 1)")
        assert row_count(read, cursors) == before
    with engine.connect() as conn:
        assert row_count(conn, cursors) == before + 1
        with pytest.raises(OperationalError, match="readonly"):
            conn.exec_driver_sql("DELETE FROM engine_cursor")
    engine.dispose()


AWKWARD = {
    "ratio": 0.1,
    "huge": 1e20,
    "tiny": 1e-7,
    "whole": 3.0,
    "wide": 2**62,
    "text": 'l\'été "quoted" back\\slash\ttab 😀',
    "nested": {"z": [1.5, {"b": None, "a": True}], "a": "é"},
}


def test_awkward_values_copy_and_verify_equal(settings: Settings, ctx: context.AppContext, target: str) -> None:
    ingest(ctx, [Identify(userId="awkward", traits={"email": "awkward@example.com", **AWKWARD})])
    with ctx.db.session() as session:
        session.add(StoredSecret(name="k", ciphertext=bytes(range(256)), masked="…ff", updated_at=NOW))
    context.close()

    result = run_cli("db", "copy", "--to", target)

    assert result.returncode == 0, result.stderr
    assert "MISMATCH" not in result.stdout
    copied = context.init(settings.model_copy(update={"database_url": target}), FrozenClock(NOW))
    with copied.db.session() as session:
        contact = session.exec(select(Contact).where(Contact.external_id == "awkward")).one()
        secret = session.get(StoredSecret, "k")
    assert {k: contact.attributes[k] for k in AWKWARD} == AWKWARD
    assert secret is not None and secret.ciphertext == bytes(range(256))


@pytest.mark.sqlite_only
def test_db_upgrade_brings_an_empty_database_to_the_schema(bare_target: str) -> None:
    result = run_cli("db", "upgrade", env={"PARCOURS_DATABASE_URL": bare_target})

    assert result.returncode == 0, result.stderr
    assert "at the latest schema" in result.stdout
    database = Database(bare_target)
    with database.engine.connect() as conn:
        assert first_non_empty(conn, tables()) is None  # every table there, and empty
        assert conn.exec_driver_sql("SELECT count(*) FROM alembic_version").scalar_one() >= 1
    database.dispose()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.mark.sqlite_only
@pytest.mark.parametrize("terminal", [True, False])
def test_progress_redraws_on_a_terminal_and_logs_sparingly_elsewhere(terminal: bool) -> None:
    now = [0.0]
    stream = _Terminal() if terminal else io.StringIO()
    bar = ProgressBar(stream, clock=lambda: now[0])
    for done in range(0, 10_001, 1_000):
        bar("event", done, 10_000)
        now[0] += 0.5  # 5 s in all

    out = stream.getvalue()
    assert out.rstrip().endswith("10,000 / 10,000 rows  2,000 rows/s")
    if terminal:
        assert out.count("\r") >= 10 and out.endswith("\n") and out.count("\n") == 1
    else:
        assert "\r" not in out and 2 <= out.count("\n") <= 3  # every 2 s, and the end
