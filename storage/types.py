"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, DateTime, Integer
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.schema import CreateColumn
from sqlalchemy.sql.elements import TypeClause
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Aware datetimes in, aware UTC datetimes out; stored as naive UTC so SQLite compares them correctly."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column; pass an aware datetime")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


JSONType: Any = JSON().with_variant(JSON(none_as_null=True), "sqlite").with_variant(JSONB(), "postgresql")


@compiles(JSON, "postgresql")
def _json_is_jsonb(_type: JSON, _compiler: Any, **_kw: Any) -> str:
    """Every JSON column is ``jsonb`` on PostgreSQL, migrations included: segment conditions read it with
    ``jsonb`` operators and functions, and ``json`` would be parsed again on every read."""
    return "JSONB"


def is_key(name: str) -> bool:
    """An id or a reference to one (``id``, ``contact_id``...): 64-bit on PostgreSQL (migration 0029 too)."""
    return name == "id" or name.endswith("_id")


@compiles(Integer, "postgresql")
def _integer_is_bigint(_type: Integer, _compiler: Any, **kw: Any) -> str:
    """Ids are ``bigint`` on PostgreSQL, as SQLite's are 64-bit: a busy workspace passes 2**31 events, and an id
    of any size the API accepts (up to 2**63 - 1) is a miss, not an overflow. Other integer columns (counts,
    numbers) stay ``integer``, so that ``sum()`` of them stays an integer rather than a ``numeric``; a ``CAST``
    is ``integer`` (PostgreSQL casts a boolean to ``integer``, not to ``bigint``); a bound value or an array
    parameter is ``bigint``, which compares with either."""
    expression = kw.get("type_expression")
    if isinstance(expression, TypeClause):
        return "INTEGER"
    if isinstance(expression, Column):
        return "BIGINT" if is_key(expression.name) else "INTEGER"
    return "BIGINT"


@compiles(CreateColumn, "postgresql")
def _serial_is_bigserial(create: CreateColumn[Any], compiler: Any, **kw: Any) -> str:
    """Auto-increment keys are ``bigserial`` (``serial`` would be a 32-bit column and sequence)."""
    text: str = compiler.visit_create_column(create, **kw)
    name = compiler.preparer.format_column(create.element)
    serial = f"{name} SERIAL"
    return f"{name} BIGSERIAL{text[len(serial) :]}" if text.startswith(serial) else text
