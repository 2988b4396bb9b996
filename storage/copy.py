"""Copy a workspace's tables from one database into another holding the same schema, and check the copy.

The source is opened read-only and read from one snapshot (a single read transaction), so a copy taken while
the application runs is still consistent; rows stream in batches through the driver's cursor, so memory stays
flat whatever the table size. The caller writes the whole copy in one target transaction: a failure leaves
the target as empty as it found it.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

from sqlalchemy import Connection, Integer, Table, func, insert, select, text
from sqlalchemy.engine import Engine, make_url
from sqlmodel import SQLModel, create_engine

import storage.all_models  # noqa: F401  (registers every table on the metadata)
from journeys import codec
from journeys.errors import InvalidError, NotFoundError
from storage import partitions
from storage.checksum import TableSum

BATCH_ROWS = 5_000
Progress = Callable[[str, int, int], None]


class SourceMissing(NotFoundError):
    """The configured database does not exist or is not a Parcours database."""


class RowsRefused(InvalidError):
    """The target refused rows (a value it cannot hold); the message is the database's first line."""


# Coordination of running processes (storage/partitions.py): made by the target's own migration, not copied;
# the target's event cursors are set from the source's instead (carry_positions).
PROCESS_TABLES = {"engine_partition", "engine_worker", "job_lease"}


def tables() -> list[Table]:
    """Every table of the workspace, parents before the children whose foreign keys point at them."""
    return [t for t in SQLModel.metadata.sorted_tables if t.name not in PROCESS_TABLES]


def carry_positions(source: Connection, target: Connection) -> None:
    """Start the target's event cursors where the source's stood, so no event is taken twice or missed: one
    for one when both have as many partitions, else every target partition at the source's lowest cursor."""
    found = partitions.positions(source)
    wanted = partitions.positions(target)
    if not found:
        return
    if sorted(found) == sorted(wanted):
        for part, value in found.items():
            partitions.set_position(target, part, value)
    else:
        partitions.set_all_positions(target, min(found.values()))


def open_read_only(url: str) -> Engine:
    """An engine on ``url`` that cannot write: SQLite opened with ``mode=ro``, PostgreSQL read-only sessions."""
    parsed = make_url(url)
    json_args = {"json_serializer": codec.dumps, "json_deserializer": codec.parse_stored}
    if parsed.get_backend_name() != "sqlite":
        return create_engine(url, execution_options={"postgresql_readonly": True}, **json_args)
    if not parsed.database or parsed.database == ":memory:" or not Path(parsed.database).is_file():
        raise SourceMissing(f"{parsed.database or ':memory:'}: no database file there")
    uri = "file:" + quote(str(Path(parsed.database).resolve())) + "?mode=ro"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, check_same_thread=False)

    return create_engine("sqlite://", creator=connect, **json_args)


@contextmanager
def snapshot(engine: Engine) -> Iterator[Connection]:
    """One read transaction: every table read through it sees the database at the same moment."""
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        else:
            conn = conn.execution_options(isolation_level="REPEATABLE READ")
        try:
            yield conn
        finally:
            conn.rollback()


def schema_heads(conn: Connection) -> set[str]:
    """The migrations a database is at (Alembic's ``alembic_version``)."""
    try:
        return {row[0] for row in conn.execute(text("SELECT version_num FROM alembic_version"))}
    except Exception as exc:  # no such table: not a migrated Parcours database
        raise SourceMissing("not a Parcours database (no schema version)") from exc


def first_non_empty(conn: Connection, candidates: Sequence[Table]) -> str | None:
    for table in candidates:
        if conn.execute(select(1).select_from(table).limit(1)).first() is not None:
            return table.name
    return None


def row_count(conn: Connection, table: Table) -> int:
    return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def _batches(conn: Connection, table: Table) -> Iterator[list[dict[str, object]]]:
    """The table's rows in primary-key order, ``BATCH_ROWS`` at a time, fetched as they are needed."""
    statement = select(table).order_by(*table.primary_key.columns)
    result = conn.execution_options(stream_results=True, yield_per=BATCH_ROWS).execute(statement)
    for part in result.mappings().partitions():
        yield [dict(row) for row in part]


def _write(target: Connection, table: Table, rows: list[dict[str, object]]) -> None:
    """Insert ``rows``: through ``COPY`` on PostgreSQL (several times faster than an INSERT per row), else
    an executemany. Values go through each column type's own conversion first, as an INSERT would."""
    if target.dialect.name != "postgresql":
        target.execute(insert(table), rows)
        return
    columns = list(table.columns)
    convert = [column.type._cached_bind_processor(target.dialect) for column in columns]
    quote_name = target.dialect.identifier_preparer.quote
    names = ", ".join(quote_name(column.name) for column in columns)
    cursor = target.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        with cursor, cursor.copy(f"COPY {quote_name(table.name)} ({names}) FROM STDIN") as stream:
            for row in rows:
                stream.write_row(
                    [
                        value if to_db is None or value is None else to_db(value)
                        for value, to_db in zip((row[c.name] for c in columns), convert, strict=True)
                    ]
                )
    except target.dialect.loaded_dbapi.Error as exc:  # the driver's own error: COPY bypasses SQLAlchemy
        lines = str(exc).strip().splitlines()
        raise RowsRefused(lines[0] if lines else type(exc).__name__) from exc


def copy_table(source: Connection, target: Connection, table: Table, total: int, progress: Progress) -> TableSum:
    """Insert every row of ``table`` from ``source`` into ``target``; the source rows' checksum."""
    summed = TableSum(table.name)
    progress(table.name, 0, total)
    for rows in _batches(source, table):
        _write(target, table, rows)
        summed.add(row.values() for row in rows)
        progress(table.name, summed.rows, total)
    return summed


def checksum(conn: Connection, table: Table) -> TableSum:
    """Rows of ``table`` counted and hashed, read in batches like a copy."""
    summed = TableSum(table.name)
    for rows in _batches(conn, table):
        summed.add(row.values() for row in rows)
    return summed


def reset_sequences(conn: Connection, copied: Sequence[Table]) -> None:
    """Move each integer primary key's sequence past the copied ids, so new rows do not collide (PostgreSQL)."""
    if conn.dialect.name != "postgresql":
        return
    quote_name = conn.dialect.identifier_preparer.quote
    for table in copied:
        keys = list(table.primary_key.columns)
        if len(keys) != 1 or not isinstance(keys[0].type, Integer):
            continue
        column = quote_name(keys[0].name)
        # pg_get_serial_sequence is NULL for a key without a sequence, and setval(NULL, ...) does nothing.
        conn.exec_driver_sql(
            f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE(MAX({column}), 0) + 1, false)"
            f" FROM {quote_name(table.name)}",
            (quote_name(table.name), keys[0].name),
        )
