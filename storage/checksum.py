"""A table's checksum computed the same way whichever database the rows come from.

Each row is turned into canonical values (datetimes as UTC ISO text, JSON with sorted keys, integral floats as
integers, bytes as hex), hashed, and the hashes are added: the sum does not depend on the order rows arrive in,
so text primary keys, which SQLite and PostgreSQL collate differently, need no common ``ORDER BY``.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

import orjson

_MODULUS = 1 << 256
_AS_IS = frozenset({str, bool, type(None)})
# orjson writes integers up to 64 bits. Beyond, a number is compared as the float both sides can agree on:
# jsonb hands back 1e20 as the integer 100000000000000000000.
_LARGEST = 1 << 63


def canonical(value: Any) -> Any:
    """A value both drivers agree on: what SQLite's text and PostgreSQL's types read back as, made equal."""
    if type(value) in _AS_IS:
        return value
    if type(value) is int:
        return value if -_LARGEST < value < _LARGEST else repr(float(value))
    if isinstance(value, float | Decimal):
        number = float(value)
        return int(number) if number.is_integer() and abs(number) < _LARGEST else repr(number)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"t": moment.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": bytes(value).hex()}
    if isinstance(value, Mapping):
        return {str(k): v if type(v) in _AS_IS else canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [v if type(v) in _AS_IS else canonical(v) for v in value]
    if isinstance(value, int | str):  # subclasses (enums) as their plain value
        return int(value) if isinstance(value, int) else str(value)
    return repr(value)


def row_hash(values: Iterable[Any]) -> int:
    text = orjson.dumps([v if type(v) in _AS_IS else canonical(v) for v in values], option=orjson.OPT_SORT_KEYS)
    return int.from_bytes(hashlib.sha256(text).digest(), "big")


@dataclass
class TableSum:
    """Rows counted and hashed so far; two tables with the same rows have equal sums."""

    table: str
    rows: int = 0
    total: int = 0

    def add(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.rows += 1
            self.total = (self.total + row_hash(row)) % _MODULUS

    @property
    def digest(self) -> str:
        return f"{self.total:064x}"[:16]

    def matches(self, other: TableSum) -> bool:
        return (self.rows, self.total) == (other.rows, other.total)
