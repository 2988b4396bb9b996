"""JSON values in SQL on both databases: SQLite's JSON1 and PostgreSQL's ``jsonb``.

A ``Source`` is one value read from a JSON document (or a plain text column) with the tests the condition
compiler needs: is it present, is it text, a number, a boolean, an array, and its text or number. The two
databases answer them with their own functions; everything above this module is written once.
Both follow SQLite's rules where they differ: ASCII-only lower case, byte order for text (``COLLATE "C"``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import Float, String, case, cast, exists, func, literal, literal_column, select
from sqlalchemy.dialects.postgresql import JSONB

NUMERIC = ("integer", "real")
UPPER, LOWER = "ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz"
DAY_GLOB = "[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]*"
DAY_REGEX = "^[0-9]{4}-[0-9]{2}-[0-9]{2}"


def json_path(key: str) -> str:
    """A SQLite JSON path naming one top-level key (keys never hold quotes: conditions.KEY_PATTERN)."""
    return f'$."{key}"'


def stored_json(column: Any) -> Any:
    """On SQLite, ``column`` where it holds valid JSON, else ``{}``: one row written before the edge check (a NaN)
    would otherwise make JSON1 raise "malformed JSON" for the whole query. ``jsonb`` is always valid."""
    return case((func.json_valid(column) == 1, column), else_=literal("{}"))


class Source:
    """A value read in SQL, and the tests on its JSON type."""

    def present(self) -> Any:
        raise NotImplementedError

    def is_text(self) -> Any:
        raise NotImplementedError

    def is_number(self) -> Any:
        raise NotImplementedError

    def is_bool(self, value: bool) -> Any:
        raise NotImplementedError

    def is_array(self) -> Any:
        raise NotImplementedError

    def text(self) -> Any:
        raise NotImplementedError

    def number(self) -> Any:
        raise NotImplementedError


@dataclass(frozen=True)
class SqliteSource(Source):
    """SQLite: ``json_extract`` gives the value in SQL's own types, ``json_type`` its JSON type (NULL if absent)."""

    value: Any
    jtype: Any

    def present(self) -> Any:
        return func.coalesce(self.jtype, "null") != "null"

    def is_text(self) -> Any:
        return self.jtype == "text"

    def is_number(self) -> Any:
        return self.jtype.in_(NUMERIC)

    def is_bool(self, value: bool) -> Any:
        return self.jtype == ("true" if value else "false")

    def is_array(self) -> Any:
        return self.jtype == "array"

    def text(self) -> Any:
        return self.value

    def number(self) -> Any:
        return self.value


@dataclass(frozen=True)
class PostgresSource(Source):
    """PostgreSQL: ``node`` is the ``jsonb`` value (SQL NULL when absent)."""

    node: Any

    def _type(self) -> Any:
        return func.jsonb_typeof(self.node)

    def present(self) -> Any:
        return func.coalesce(self._type(), "null") != "null"

    def is_text(self) -> Any:
        return self._type() == "string"

    def is_number(self) -> Any:
        return self._type() == "number"

    def is_bool(self, value: bool) -> Any:
        return cast(self.node, String) == ("true" if value else "false")

    def is_array(self) -> Any:
        return self._type() == "array"

    def text(self) -> Any:
        return self.node.op("#>>")(literal_column("'{}'::text[]"))

    def number(self) -> Any:
        # CASE, not AND: PostgreSQL may evaluate either side of AND first, and a text cast to a number raises.
        return case((self.is_number(), cast(self.text(), Float)), else_=None)


@dataclass(frozen=True)
class TextColumn(Source):
    """A plain text column (email, platform...): present when not NULL, always text."""

    column: Any

    def present(self) -> Any:
        return self.column.is_not(None)

    def is_text(self) -> Any:
        return self.column.is_not(None)

    def is_number(self) -> Any:
        return literal(False)

    def is_bool(self, value: bool) -> Any:
        return literal(False)

    def is_array(self) -> Any:
        return literal(False)

    def text(self) -> Any:
        return self.column

    def number(self) -> Any:
        return literal(None)


@dataclass(frozen=True)
class JsonSql:
    """The functions that differ between the databases, chosen by dialect name."""

    dialect: str

    @property
    def postgres(self) -> bool:
        return self.dialect == "postgresql"

    def key(self, column: Any, key: str) -> Source:
        """The top-level ``key`` of the JSON document in ``column``."""
        if self.postgres:
            return PostgresSource(func.jsonb_extract_path(cast(column, JSONB), literal(key)))
        path, document = literal(json_path(key)), stored_json(column)
        return SqliteSource(func.json_extract(document, path), func.json_type(document, path))

    def key_text(self, column: Any, key: str) -> Any:
        """The top-level ``key`` as SQL text (NULL when absent)."""
        if self.postgres:
            return func.jsonb_extract_path_text(cast(column, JSONB), literal(key))
        return cast(func.json_extract(stored_json(column), literal(json_path(key))), String)

    def any_element(self, column: Any, key: str, test: Any) -> Any:
        """EXISTS an element of the array at ``key`` for which ``test(element_source)`` holds."""
        if self.postgres:
            node = func.jsonb_extract_path(cast(column, JSONB), literal(key))
            array = case((func.jsonb_typeof(node) == "array", node), else_=None)
            each = func.jsonb_array_elements(array).table_valued("value").alias("item")
            return exists(select(1).select_from(each).where(test(PostgresSource(each.c.value))))
        each = func.json_each(stored_json(column), literal(json_path(key))).table_valued("value", "type").alias("item")
        return exists(select(1).select_from(each).where(test(SqliteSource(each.c.value, each.c.type))))

    def lower(self, value: Any) -> Any:
        """ASCII-only lower case, as SQLite's ``lower`` and journeys.condition_values.ascii_lower."""
        return func.translate(value, UPPER, LOWER) if self.postgres else func.lower(value)

    def contains_text(self, haystack: Any, needle: str) -> Any:
        return (func.strpos if self.postgres else func.instr)(haystack, literal(needle)) > 0

    def ordered_text(self, value: Any) -> Any:
        """Text compared byte by byte (SQLite's BINARY collation)."""
        return value.collate("C") if self.postgres else value

    def looks_like_day(self, value: Any) -> Any:
        """Text starting with ``YYYY-MM-DD``."""
        if self.postgres:
            return value.op("~")(literal(DAY_REGEX))
        return value.op("GLOB")(literal(DAY_GLOB))

    def day_of_timestamp(self, column: Any) -> Any:
        """A timestamp column's UTC day as ``YYYY-MM-DD`` text."""
        return func.to_char(column, "YYYY-MM-DD") if self.postgres else func.substr(column, 1, 10)

    def least(self, a: Any, b: Any) -> Any:
        return func.least(a, b) if self.postgres else func.min(a, b)
