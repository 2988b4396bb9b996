"""Ids are 64-bit on PostgreSQL as on SQLite: new databases are created so, and revision 0029 widens a
database that earlier revisions made with 32-bit columns, keeping its rows and its sequences' positions."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import psycopg
import pytest
from alembic import command
from sqlalchemy import create_engine

from storage.migrate import alembic_config, upgrade
from tests import postgres

pytestmark = pytest.mark.postgres_only


@pytest.fixture
def bare_url() -> Iterator[str]:
    name = "parcours_bigint_" + uuid.uuid4().hex[:12]
    with postgres._admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    yield postgres.url_for(name)
    postgres.drop(name)


def _integer_columns(conn: psycopg.Connection) -> list[tuple[str, str]]:
    """The 32-bit id columns (``id``, ``*_id``); counts and other numbers stay ``integer``."""
    query = (
        "SELECT table_name, column_name FROM information_schema.columns"
        " WHERE table_schema = current_schema() AND data_type = 'integer'"
        " AND (column_name = 'id' OR column_name LIKE '%\\_id')"
    )
    return [(table, column) for table, column in conn.execute(query)]


def _libpq(url: str) -> str:
    return postgres._libpq(url)  # the server's URL without SQLAlchemy's driver name


def test_a_new_database_has_no_32_bit_id(bare_url: str) -> None:
    engine = create_engine(bare_url)
    upgrade(engine)
    engine.dispose()
    with psycopg.connect(_libpq(bare_url)) as conn:
        assert _integer_columns(conn) == []
        sequences = [row[0] for row in conn.execute("SELECT data_type::regtype::text FROM pg_sequences")]
        assert sequences and set(sequences) == {"bigint"}
        counts = (
            "SELECT data_type FROM information_schema.columns WHERE table_name = 'step_count' AND column_name = 'count'"
        )
        assert conn.execute(counts).fetchone() == ("integer",)  # its sum() stays an integer, not a numeric
        assert conn.execute("SELECT pg_typeof(sum(count))::text FROM step_count").fetchone() == ("bigint",)


def test_revision_0029_widens_an_older_database_and_keeps_its_rows(bare_url: str) -> None:
    engine = create_engine(bare_url)
    command.upgrade(alembic_config(engine), "0028_scale_out")
    with psycopg.connect(_libpq(bare_url), autocommit=True) as conn:  # as 0028 made them before bigint ids
        conn.execute("ALTER TABLE contact ALTER COLUMN id TYPE integer")
        conn.execute("ALTER SEQUENCE contact_id_seq AS integer")
        conn.execute("ALTER TABLE event ALTER COLUMN contact_id TYPE integer, ALTER COLUMN id TYPE integer")
        conn.execute("ALTER SEQUENCE event_id_seq AS integer")
        conn.execute(
            "INSERT INTO contact (external_id, attributes, consent, created_at, updated_at)"
            " VALUES ('u1', '{}', '{}', now(), now())"
        )
        assert ("event", "contact_id") in _integer_columns(conn)
        with pytest.raises(psycopg.errors.NumericValueOutOfRange):
            conn.execute("SELECT setval('event_id_seq', 3000000000)")
    upgrade(engine)
    engine.dispose()
    with psycopg.connect(_libpq(bare_url), autocommit=True) as conn:
        assert _integer_columns(conn) == []
        conn.execute("SELECT setval('event_id_seq', 3000000000)")  # past 2**31: a busy workspace's events
        (contact_id,) = conn.execute("SELECT id FROM contact WHERE external_id = 'u1'").fetchone()
        inserted = conn.execute(
            "INSERT INTO event (contact_id, name, properties, timestamp, received_at)"
            " VALUES (%s, 'Opened', '{}', now(), now()) RETURNING id",
            [contact_id],
        ).fetchone()
        assert inserted == (3_000_000_001,)
