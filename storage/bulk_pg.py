"""Set-based forms of the hot paths' per-row statements, for PostgreSQL.

``INSERT INTO t (a, b) VALUES (?, ?)`` run for many rows becomes one ``COPY``; ``UPDATE t SET a = ? ... WHERE
k = ? AND ...`` becomes one ``UPDATE ... FROM unnest(...)`` with a typed array per parameter (the column types
come from the table metadata). Statements of any other shape return None and run row by row as before. The
SQL text is fixed in code; values travel as COPY data or array parameters, never in the SQL.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Connection, Table
from sqlalchemy.dialects import postgresql
from sqlmodel import SQLModel

INSERT = re.compile(r"^INSERT INTO (\w+) \(([\w, ]+)\) VALUES \(([?, ]+)\)$", re.S)
UPDATE = re.compile(r"^UPDATE (\w+) SET (.+?) WHERE (.+)$", re.S)
PARAM = re.compile(r"(\w+) = \?")


def execute(conn: Connection, statement: str, rows: Sequence[tuple[Any, ...]]) -> int | None:
    """Run ``statement`` for every row in one set-based statement; None when its shape is not handled."""
    inserted = INSERT.match(statement)
    if inserted:
        return _copy(conn, inserted.group(1), [c.strip() for c in inserted.group(2).split(",")], rows)
    plan = _update_plan(statement)
    if plan is None:
        return None
    sql, width = plan
    if width != len(rows[0]):
        return None
    columns = [list(column) for column in zip(*rows, strict=True)]
    return conn.exec_driver_sql(sql, tuple(columns)).rowcount


def _table(name: str) -> Table:
    import storage.all_models  # noqa: F401  (registers every table on the metadata)

    return SQLModel.metadata.tables[name]


def _copy(conn: Connection, table: str, columns: list[str], rows: Sequence[tuple[Any, ...]]) -> int:
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    with cursor, cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in rows:
            copy.write_row(row)
    return len(rows)


@lru_cache(maxsize=64)
def _update_plan(statement: str) -> tuple[str, int] | None:
    """The unnest form of a keyed UPDATE and its parameter count, or None."""
    match = UPDATE.match(statement)
    if match is None:
        return None
    table_name, set_part, where_part = match.groups()
    try:
        table = _table(table_name)
    except KeyError:
        return None
    dialect = postgresql.dialect()
    names: list[str] = []
    arrays: list[str] = []

    def param(found: re.Match[str]) -> str:
        column = found.group(1)
        if column not in table.c:
            raise KeyError(column)
        index = len(names)
        names.append(f"p{index}")
        arrays.append(f"%s::{table.c[column].type.compile(dialect=dialect)}[]")
        return f"{column} = v.p{index}"

    try:
        sets = PARAM.sub(param, set_part)
        where = PARAM.sub(lambda m: param(m).replace(f"{m.group(1)} =", f"{table_name}.{m.group(1)} =", 1), where_part)
    except KeyError:
        return None
    if "?" in sets or "?" in where:
        return None
    sql = (
        f"UPDATE {table_name} SET {sets} FROM unnest({', '.join(arrays)}) AS v({', '.join(names)})"
        f" WHERE {where}"
    )
    return sql, len(names)
