"""Driver-level executemany for the hot paths: static SQL with positional parameters, no ORM, no compile.

SQL Core spends most of a large executemany building parameter dicts; the DBAPI cursor does not. The SQL
text is fixed in code (placeholders only, never user values) and adapted to the driver's paramstyle.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection

# The one JSON codec (journeys/codec.py), re-exported for storage's hot paths.
from journeys.codec import dumps as dumps
from journeys.codec import parse as parse


def adapt(conn: Connection, statement: str) -> str:
    return statement if conn.dialect.paramstyle == "qmark" else statement.replace("?", "%s")


BULK_MIN_ROWS = 16


def placeholders(count: int) -> str:
    return ",".join("?" * count)


def execute_many(conn: Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> int:
    """Run ``statement`` once per row; the number of rows changed. On PostgreSQL, large batches of plain
    INSERTs and keyed UPDATEs become one set-based statement (storage/bulk_pg.py): a round trip per row is
    what made the engine slow there."""
    if not rows:
        return 0
    if conn.dialect.name == "postgresql" and len(rows) >= BULK_MIN_ROWS:
        from storage import bulk_pg

        done = bulk_pg.execute(conn, statement, rows)
        if done is not None:
            return done
    result = conn.exec_driver_sql(adapt(conn, statement), list(rows))
    return result.rowcount


def fetch(conn: Connection, statement: str, params: Iterable[Any] = ()) -> list[Any]:
    return conn.exec_driver_sql(adapt(conn, statement), tuple(params)).fetchall()


def fetch_none(conn: Connection, statement: str, params: Iterable[Any] = ()) -> int:
    """Run one statement that returns no rows; the number of rows it changed."""
    return conn.exec_driver_sql(adapt(conn, statement), tuple(params)).rowcount


def loads(value: Any) -> Any:
    if value is None or value == "{}":
        return {}
    return parse(value) if isinstance(value, str | bytes) else value


def stored_time(value: Any) -> datetime | None:
    """A UTC time as the driver returns it (naive text on SQLite, a datetime elsewhere), as an aware datetime."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@lru_cache(maxsize=256)
def _shared(value: str) -> Any:
    return parse(value)


def loads_shared(value: Any) -> Any:
    """For small values repeated across rows (consent) that callers only read, never mutate."""
    if value is None or value == "{}":
        return {}
    if isinstance(value, str) and len(value) < 200:
        return _shared(value)
    return loads(value)
