"""Column types shared by every table."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, DateTime, Integer, event
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.engine import Dialect
from sqlalchemy.ext.compiler import compiles
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


# SQLite's integers are all 64-bit (and an ``INTEGER PRIMARY KEY`` must stay ``INTEGER`` to be the rowid).
ID_TYPE: Any = BigInteger().with_variant(Integer(), "sqlite")


@event.listens_for(Column, "after_parent_attach")
def _ids_are_64_bit(column: Column[Any], _table: Any) -> None:
    """Every id column is ``bigint`` on PostgreSQL, as SQLite's are 64-bit: a busy workspace passes 2**31
    events, and an id of any size the API accepts (up to 2**63 - 1) is a miss, not an overflow. The type is set
    on the column itself, for every table (models and migrations alike), so values compared with an id are
    bound as ``bigint`` too. Counts and other integers stay ``integer``: ``sum()`` of a ``bigint`` would be a
    ``numeric``, read as a Decimal."""
    if type(column.type) is Integer and is_key(column.name):
        column.type = ID_TYPE
