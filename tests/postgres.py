"""The PostgreSQL server the suite runs against, and a fresh database on it for each test.

The server comes from ``PARCOURS_TEST_POSTGRES_URL`` when set, else from one answering on 127.0.0.1:5432 (with
trust auth, as the user ``postgres``); ``scripts/test.sh`` installs and starts Debian's cluster when neither
exists. Each pytest process migrates one template database once; each test gets a copy of it
(``CREATE DATABASE ... TEMPLATE``, a file copy, far faster than running the migrations again), dropped after.
"""

from __future__ import annotations

import os
import uuid
from functools import cache

import psycopg
from sqlalchemy.engine import make_url

DEFAULT_SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"


def server_url() -> str:
    return os.environ.get("PARCOURS_TEST_POSTGRES_URL") or DEFAULT_SERVER


def _admin() -> psycopg.Connection:
    url = make_url(server_url()).set(drivername="postgresql")
    return psycopg.connect(url.render_as_string(hide_password=False), autocommit=True, connect_timeout=5)


def url_for(database: str) -> str:
    return make_url(server_url()).set(database=database).render_as_string(hide_password=False)


@cache
def _template() -> str:
    """This process's migrated template database (made once per pytest process)."""
    from storage.db import Database

    name = f"parcours_tpl_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}_{os.getpid()}"
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    database = Database(url_for(name))
    try:
        database.migrate()
    finally:
        database.dispose()
    return name


def fresh_database() -> str:
    """A new database holding the current schema and nothing else; its name."""
    template = _template()
    name = "parcours_t_" + uuid.uuid4().hex[:16]
    with _admin() as conn:
        conn.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    return name


def drop(name: str) -> None:
    """Drop a test's database, closing what the test's processes left connected."""
    with _admin() as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def drop_template() -> None:
    if _template.cache_info().currsize:
        drop(_template())
