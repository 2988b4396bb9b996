"""A table's checksum computed the same way whichever database the rows come from.

Each row is turned into canonical values (datetimes as UTC ISO text, JSON with sorted keys, integral floats as
integers, bytes as hex), hashed, and the hashes are added: the sum does not depend on the order rows arrive in,
so text primary keys, which SQLite and PostgreSQL collate differently, need no common ``ORDER BY``.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

_MODULUS = 1 << 256


def canonical(value: Any) -> Any:
    """A value both drivers agree on: what SQLite's text and PostgreSQL's types read back as, made equal."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float | Decimal):
        number = float(value)
        return int(number) if number.is_integer() else repr(number)
    if isinstance(value, datetime):
        moment = value if value.tzinfo else value.replace(tzinfo=UTC)
        return {"t": moment.astimezone(UTC).isoformat()}
    if isinstance(value, date):
        return {"d": value.isoformat()}
    if isinstance(value, bytes | bytearray | memoryview):
        return {"b": bytes(value).hex()}
    if isinstance(value, Mapping):
        return {str(k): canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [canonical(v) for v in value]
    return repr(value)


def row_hash(values: Iterable[Any]) -> int:
    text = json.dumps([canonical(v) for v in values], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return int.from_bytes(hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest(), "big")


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
