"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, DateTime, Integer
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


@compiles(Integer, "postgresql")
def _integer_is_bigint(_type: Integer, _compiler: Any, **kw: Any) -> str:
    """Every integer column is ``bigint`` on PostgreSQL, as SQLite's are 64-bit: a busy workspace passes 2**31
    events, and an id of any size the API accepts (up to 2**63 - 1) is a miss, not an overflow. A ``CAST``
    keeps ``integer`` (PostgreSQL casts a boolean to ``integer``, not to ``bigint``)."""
    return "INTEGER" if isinstance(kw.get("type_expression"), TypeClause) else "BIGINT"


@compiles(CreateColumn, "postgresql")
def _serial_is_bigserial(create: CreateColumn[Any], compiler: Any, **kw: Any) -> str:
    """Auto-increment keys are ``bigserial`` (``serial`` would be a 32-bit column and sequence)."""
    text: str = compiler.visit_create_column(create, **kw)
    name = compiler.preparer.format_column(create.element)
    serial = f"{name} SERIAL"
    return f"{name} BIGSERIAL{text[len(serial) :]}" if text.startswith(serial) else text
