"""The PostgreSQL server the suite runs against, and a clean database on it for each test.

The server comes from ``PARCOURS_TEST_POSTGRES_URL`` when set, else from one answering on 127.0.0.1:5432 (with
trust auth, as the user ``postgres``); ``scripts/test.sh`` installs and starts Debian's cluster when neither
exists. Each pytest process migrates one database of its own once; before each test every table is emptied
(one TRUNCATE, identities restarted) and the rows the migrations wrote are put back, so each test starts
from a database just like a freshly migrated one. Creating and dropping a database per test cost seconds.
``fresh_database`` still makes a separate one for tests that need two.
"""

from __future__ import annotations

import os
import uuid
from functools import cache
from typing import Any

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("PARCOURS_TEST_POSTGRES_URL") or DEFAULT_SERVER


def _libpq(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _admin() -> psycopg.Connection:
    return psycopg.connect(_libpq(server_url()), autocommit=True, connect_timeout=5)


def url_for(database: str) -> str:
    return make_url(server_url()).set(database=database).render_as_string(hide_password=False)


def _migrated(name: str) -> None:
    from storage.db import Database

    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    database = Database(url_for(name))
    try:
        database.migrate()
    finally:
        database.dispose()


@cache
def _process_database() -> tuple[str, tuple[tuple[str, list[str], list[tuple[Any, ...]]], ...], str]:
    """This process's database, the rows its migrations wrote, and the statement emptying it."""
    name = f"parcours_test_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    _migrated(name)
    with psycopg.connect(_libpq(url_for(name)), autocommit=True) as conn:
        tables = [
            r[0]
            for r in conn.execute(
                "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'alembic_version'"
                " ORDER BY tablename"
            )
        ]
        seeds = []
        for table in tables:
            cursor = conn.execute(f'SELECT * FROM "{table}"')
            rows = cursor.fetchall()
            if rows:
                seeds.append((table, [d.name for d in cursor.description or []], rows))
    truncate = "TRUNCATE " + ", ".join(f'"{t}"' for t in tables) + " RESTART IDENTITY CASCADE"
    return name, tuple(seeds), truncate


def clean_database() -> str:
    """This process's database, emptied back to its just-migrated state; its name."""
    name, seeds, truncate = _process_database()
    with psycopg.connect(_libpq(url_for(name)), autocommit=True) as conn:
        # What the last test left connected (a server it started, a pool) goes first, as DROP ... FORCE would.
        conn.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
            " WHERE datname = current_database() AND pid <> pg_backend_pid()"
        )
        with conn.transaction():
            conn.execute(truncate)
            for table, columns, rows in seeds:
                names = ", ".join(f'"{c}"' for c in columns)
                marks = ", ".join(["%s"] * len(columns))
                with conn.cursor() as cursor:
                    cursor.executemany(f'INSERT INTO "{table}" ({names}) VALUES ({marks})', rows)
    return name


def fresh_database() -> str:
    """A separate new database holding the current schema (for tests that need a second one); its name."""
    name = "parcours_t_" + uuid.uuid4().hex[:16]
    _migrated(name)
    return name


def drop(name: str) -> None:
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_process_database() -> None:
    if _process_database.cache_info().currsize:
        drop(_process_database()[0])
