"""The one JSON codec of Parcours: what every JSON column is written and read with, and the check at the edge.

Writing (``dumps``) always produces text that ``parse``, orjson, the standard library and SQLite's JSON1 all
read back. Reading (``parse``) is orjson, falling back to the standard library for what orjson refuses or
would change (integers beyond 64 bits, and rows written before the edge check existed, holding ``NaN`` or
lone surrogates), so an old row never stops a reader.

``check`` is the edge: the tracking API, CSV import, journey import and settings forms refuse what this
codec cannot round-trip exactly, naming the JSON path. The documented limits:

- text (keys and values) must be valid Unicode: lone UTF-16 surrogates such as ``"\\ud800"`` are refused, and so
  is the NUL character ``"\\u0000"``, which PostgreSQL's text and ``jsonb`` cannot hold;
- numbers must be finite: ``NaN``, ``Infinity`` and ``-Infinity`` are refused;
- integers must fit a signed 64-bit integer (-2**63 .. 2**63-1), what SQLite, PostgreSQL and orjson store;
- objects and arrays nest at most ``MAX_DEPTH`` (32) levels;
- times (message timestamps, datetimes in values) must fall in years ``MIN_YEAR``..``MAX_YEAR`` (1900..2199).
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any, NamedTuple

import orjson

from journeys.errors import InvalidError

MAX_DEPTH = 32
INT_MIN, INT_MAX = -(2**63), 2**63 - 1
MIN_YEAR, MAX_YEAR = 1900, 2199
MIN_TIME = datetime(MIN_YEAR, 1, 1, tzinfo=UTC)
MAX_TIME = datetime(MAX_YEAR + 1, 1, 1, tzinfo=UTC)
_SURROGATE = re.compile("[\ud800-\udfff]")


class Problem(NamedTuple):
    """One value the codec cannot hold: where (a JSON path such as ``properties.items[2].price``) and why."""

    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.path}: {self.message}" if self.path else self.message


class Refused(InvalidError):
    """Raised by ``require``: the first problem, with every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(str(problems[0]))
        self.problems = problems


def printable(text: str, limit: int = 80) -> str:
    """``text`` safe to put in an error message or a JSON response (surrogates and NUL escaped, shortened)."""
    if not text.isascii() and _SURROGATE.search(text):
        text = text.encode("utf-8", "backslashreplace").decode()
    if "\x00" in text:
        text = text.replace("\x00", "\\u0000")
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _join(path: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{path}[{key}]"
    name = printable(key) if isinstance(key, str) else printable(str(key))
    return f"{path}.{name}" if path else name


def _scalar(value: Any, kind: type) -> str | None:
    """The problem with one non-container value, or None. Ordered by how common each type is."""
    if kind is str:
        if "\x00" in value:
            return "NUL character (\\u0000) is not allowed"
        return None if value.isascii() or not _SURROGATE.search(value) else "lone UTF-16 surrogate is not allowed"
    if kind is int:
        return None if INT_MIN <= value <= INT_MAX else "integer does not fit in 64 bits"
    if kind is float:
        if math.isfinite(value):
            return None
        return "NaN is not allowed" if value != value else "Infinity is not allowed"
    if kind is datetime or kind is date:
        return time_problem(value)
    return None


def time_problem(value: datetime | date) -> str | None:
    """The problem with a time outside the documented range, or None."""
    if MIN_YEAR <= value.year <= MAX_YEAR:
        return None
    return f"time must be in the years {MIN_YEAR}..{MAX_YEAR}"


# Types that need no further look once _scalar found nothing wrong with them.
_PLAIN = frozenset({str, int, float, bool, type(None), datetime, date})


def check(value: Any, path: str = "", *, depth: int = 1) -> list[Problem]:
    """Every problem of ``value`` for this codec; ``[]`` when it round-trips exactly.

    ``depth`` is the nesting level of ``value`` itself (0 for a message or record whose fields are the
    JSON values). Runs on every tracking message, so a C-speed test clears ordinary values first and only
    suspicious ones take the exact walk that names paths.
    """
    return [] if _surely_fine(value, depth) else _walk(value, path, depth)


def check_fields(fields: Mapping[str, Any], path: str = "") -> list[Problem]:
    """``check`` of each value of ``fields`` (a message or a record), which is itself not a JSON level."""
    return check(fields, path, depth=0)


def _time_default(value: Any) -> str:
    if (type(value) is datetime or type(value) is date) and time_problem(value) is None:
        return ""
    raise TypeError  # anything else unusual: let the exact walk decide


_DIGITS = bytes.maketrans(b"123456789", b"000000000")
_LONG_RUN = b"0" * 19  # 19+ digits may be an integer beyond signed 64 bits


def _surely_fine(value: Any, depth: int) -> bool:
    """True when ``value`` certainly has no problem; False means "walk it" (a problem is possible, not sure).

    orjson refuses lone surrogates, integers beyond unsigned 64 bits and non-string keys; it writes NaN and
    Infinity as ``null``, so more nulls than the top level's own Nones, a run of 19 digits or more brackets
    than the depth allows, or the escape of a NUL send the value to the walk. Text that merely looks suspicious
    costs only the walk.
    """
    try:
        text = orjson.dumps(value, default=_time_default, option=orjson.OPT_PASSTHROUGH_DATETIME)
    except TypeError:
        return False
    kind = type(value)
    nones = list(value.values()).count(None) if kind is dict else value.count(None) if kind is list else 0
    return (
        text.count(b"null") == nones
        and text.count(b"{") + text.count(b"[") <= MAX_DEPTH + 1 - depth
        and _LONG_RUN not in text.translate(_DIGITS)
        and b"\\u0000" not in text  # orjson writes a NUL (refused) as this escape
    )


def _walk(value: Any, path: str, depth: int) -> list[Problem]:
    """The exact check: an iterative walk (a hostile depth cannot overflow the stack) naming each problem."""
    problems: list[Problem] = []
    stack: list[tuple[Any, str, int]] = [(value, path, depth)]
    while stack:
        node, where, level = stack.pop()
        kind = type(node)
        if kind is dict or isinstance(node, Mapping):
            if level > MAX_DEPTH:
                problems.append(Problem(where, f"nesting deeper than {MAX_DEPTH} levels is not allowed"))
                continue
            for key, item in node.items():
                if type(key) is str and not key.isascii() and _SURROGATE.search(key):
                    problems.append(Problem(_join(where, key), "lone UTF-16 surrogate in a key is not allowed"))
                    continue
                if type(key) is str and "\x00" in key:
                    problems.append(Problem(_join(where, key), "NUL character (\\u0000) in a key is not allowed"))
                    continue
                item_kind = type(item)
                if item_kind in _PLAIN:
                    if (message := _scalar(item, item_kind)) is not None:
                        problems.append(Problem(_join(where, key), message))
                else:  # containers, and anything unusual, are looked at when popped
                    stack.append((item, _join(where, key), level + 1))
        elif kind is list or kind is tuple:
            if level > MAX_DEPTH:
                problems.append(Problem(where, f"nesting deeper than {MAX_DEPTH} levels is not allowed"))
                continue
            stack.extend((item, _join(where, index), level + 1) for index, item in enumerate(node))
        elif (message := _scalar(node, kind)) is not None:
            problems.append(Problem(where, message))
    return problems


def require(value: Any, path: str = "") -> None:
    """``check``, raising ``Refused`` naming the first problem."""
    if problems := check(value, path):
        raise Refused(problems)


_ORJSON_OPTIONS = orjson.OPT_NON_STR_KEYS | orjson.OPT_PASSTHROUGH_DATETIME


def dumps(value: Any) -> str:
    """Compact JSON; values JSON cannot hold (dates, decimals) are written as their ``str``.

    Never writes what ``parse`` or SQLite cannot read: orjson already writes NaN/Infinity as null; the
    rare values it refuses (lone surrogates, integers beyond 64 bits) take the standard library after
    lone surrogates become U+FFFD and non-finite numbers null.
    """
    try:
        return orjson.dumps(value, default=str, option=_ORJSON_OPTIONS).decode()
    except TypeError:
        return json.dumps(_cleaned(value), separators=(",", ":"), default=str)


def _cleaned(value: Any) -> Any:
    kind = type(value)
    if kind is str:
        return _SURROGATE.sub("\ufffd", value)
    if kind is float:
        return value if math.isfinite(value) else None
    if isinstance(value, Mapping):
        return {_cleaned(k) if isinstance(k, str) else k: _cleaned(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_cleaned(v) for v in value]
    return value


# orjson reads integers beyond 64 bits as floats, and negative ones beyond signed 64 bits too (losing digits),
# where the standard library keeps them exact; text with a run of 19+ digits goes to the standard library.
# The scan is C speed and rarely matches.
_LONG_DIGITS = re.compile(r"\d{19}")


def parse(text: str | bytes) -> Any:
    """JSON text to Python, exactly as ``json.loads`` would, with orjson's speed where that is the same."""
    if isinstance(text, str):
        return json.loads(text) if _LONG_DIGITS.search(text) else _loads(text)
    return parse_checked(text)[0]


def _wide_int(digits: str) -> int | float:
    value = int(digits)
    return value if INT_MIN <= value <= INT_MAX else float(digits)


def parse_stored(text: str | bytes) -> Any:
    """``parse`` of JSON read back from a database. PostgreSQL's ``jsonb`` keeps numbers as ``numeric``, so a
    float beyond the 64-bit integer range (``1e20``) comes back written as a 21-digit integer: it is read as the
    float it was (the edge never accepts an integer that wide, so no stored integer is)."""
    if isinstance(text, bytes | bytearray | memoryview):
        text = bytes(text).decode()
    if not _LONG_DIGITS.search(text):
        return _loads(text)
    return json.loads(text, parse_int=_wide_int)


def _loads(text: str | bytes) -> Any:
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError:
        return json.loads(text)  # NaN or a lone surrogate from before the edge check; garbage still raises


# Every byte but the brackets and the quote: deleted to leave a body's structure (see ``parse_checked``).
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"{}[]')
_EMPTY_PAIR = re.compile(rb"\{\}|\[\]")


def parse_checked(body: bytes) -> tuple[Any, bool]:
    """``parse`` of a request body, and True when the whole value surely passes ``check`` (times aside).

    What orjson parses holds no NaN, Infinity or lone surrogate (it refuses them), and a body without the escape
    ``\\u0000`` holds no NUL (JSON text cannot hold a raw one); without a run of 19
    digits every integer fits 64 bits (and orjson reads it exactly); what remains is the depth, read from
    the brackets outside strings: each pass of ``_EMPTY_PAIR`` removes exactly one level, so a body that
    empties within ``MAX_DEPTH`` passes nests no deeper than any ``check`` of a part of it allows (a part's
    level is never more than its nesting in the body). A body with an escaped quote, or anything unusual,
    is simply not vouched for (False): its values take the exact per-value check.
    """
    if _LONG_RUN in body.translate(_DIGITS):
        return json.loads(body), False
    try:
        value = orjson.loads(body)
    except orjson.JSONDecodeError:
        return json.loads(body), False
    if b'\\"' in body or b"\\u0000" in body:  # an escaped quote, or a NUL (refused): the exact check decides
        return value, False
    structure = b"".join(body.translate(None, _NOT_STRUCTURE).split(b'"')[::2])
    for _ in range(MAX_DEPTH):
        if not structure:
            return value, True
        structure = _EMPTY_PAIR.sub(b"", structure)
    return value, not structure
