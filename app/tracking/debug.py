"""The tracking debugger's memory: the last calls this process received, for the /debugger page.

The tracking handler appends one small tuple per authenticated call to a bounded ring buffer (``CAPACITY``
calls, oldest dropped). It keeps no payload: per call the key, path, HTTP status, counts, the first ``PROBLEMS``
warnings and refusals, and per message of the first ``SCAN`` its type, event (or page/screen) name, user id and
time, all references to values the intake already built (ids and names are at most 200 characters). The page
builds its rows from those tuples only when it draws (``recent()``).

Each process keeps its own buffer: with several web processes, a page shows the calls its own process served.
The buffer belongs to one ``AppContext`` (one database); a new context starts an empty one.
"""

from __future__ import annotations

import itertools
from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from journeys import codec
from storage.api_keys import KeyInfo

CAPACITY = 200
SCAN = 100  # messages of a call whose type, name and user are kept (for the filters and the detail view)
PROBLEMS = 20  # warnings and refusals kept per call
TEXT = 200  # characters shown of any text an app sent

_owner: object | None = None
_calls: deque[tuple[Any, ...]] = deque(maxlen=CAPACITY)
_numbers = itertools.count(1)


def record(
    ctx: object,
    when: datetime,
    key: KeyInfo,
    path: str,
    status: int,
    received: int,
    messages: list[tuple[int, Any]],
    kept: int,
    events: int,
    warnings: list[dict[str, Any]],
    refused: list[dict[str, Any]],
) -> None:
    """Remember one call: ``received`` messages, ``kept`` of them stored, ``events`` events written.

    On the tracking hot path: bounded work whatever the batch's size, nothing copied but references."""
    global _owner
    if _owner is not ctx:
        _owner = ctx
        _calls.clear()
    briefs = [
        (i, m.type, getattr(m, "event", None) or getattr(m, "name", None), m.userId or m.anonymousId, m.timestamp)
        if m.type != "alias"
        else (i, "alias", None, m.userId, m.timestamp)
        for i, m in messages[:SCAN]
    ]
    _calls.append(
        (next(_numbers), when, key.prefix, key.name, path, status, received, briefs, kept, events)
        + (warnings[:PROBLEMS], len(warnings), refused[:PROBLEMS], len(refused))
    )


def note_error(ctx: object, when: datetime, key: KeyInfo, path: str, status: int, message: str) -> None:
    """Remember a call whose body could not be read or used at all (nothing stored)."""
    record(ctx, when, key, path, status, 0, [], 0, 0, [], [{"index": None, "field": "body", "message": message}])


@dataclass(frozen=True)
class Problem:
    index: int | None
    field: str
    message: str


@dataclass(frozen=True)
class Brief:
    index: int
    type: str
    name: str
    user: str
    timestamp: datetime | None


@dataclass(frozen=True)
class Call:
    number: int
    received_at: datetime
    key_prefix: str
    key_name: str
    path: str
    status: int
    received: int
    messages: tuple[Brief, ...]
    kept: int
    events: int
    warnings: tuple[Problem, ...]
    warning_count: int
    refusals: tuple[Problem, ...]
    refusal_count: int

    @property
    def types(self) -> list[str]:
        return sorted({m.type for m in self.messages})

    @property
    def names(self) -> list[str]:
        return sorted({m.name for m in self.messages if m.name})

    @property
    def users(self) -> list[str]:
        return sorted({m.user for m in self.messages if m.user})

    def matches(self, kind: str | None = None, text: str = "", status: str = "all") -> bool:
        """Whether the call passes the page's filters: a message type, a text found in an event name or a user
        id (case-insensitive), and ``all`` / ``warnings`` / ``refusals``."""
        if kind and kind not in self.types:
            return False
        if status == "warnings" and not self.warning_count:
            return False
        if status == "refusals" and not self.refusal_count:
            return False
        needle = text.strip().casefold()
        return not needle or any(needle in value.casefold() for value in self.names + self.users)


def _text(value: object) -> str:
    return codec.printable(str(value), TEXT)


def _problems(items: list[dict[str, Any]]) -> tuple[Problem, ...]:
    ordered = sorted(items, key=lambda p: -1 if p.get("index") is None else p["index"])
    return tuple(Problem(p.get("index"), _text(p.get("field", "")), _text(p.get("message", ""))) for p in ordered)


def _call(row: tuple[Any, ...]) -> Call:
    number, when, prefix, name, path, status, received, briefs, kept, events, warnings, nw, refused, nr = row
    messages = tuple(
        Brief(i, kind, _text(label) if label else "", _text(user) if user else "", stamp)
        for i, kind, label, user, stamp in briefs
    )
    return Call(
        number, when, prefix, _text(name), path, status, received, messages, kept, events,
        _problems(warnings), nw, _problems(refused), nr,
    )  # fmt: skip


def recent(ctx: object) -> list[Call]:
    """The calls kept for ``ctx``, most recent first."""
    if _owner is not ctx:
        return []
    rows = tuple(_calls)  # one C-level copy: safe while tracking threads append
    return [_call(row) for row in reversed(rows)]


def last_number(ctx: object) -> int:
    """The number of the latest call kept for ``ctx`` (0 when none): changes when a call arrives."""
    if _owner is not ctx or not _calls:
        return 0
    return _calls[-1][0]
