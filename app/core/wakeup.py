"""In-process wake-ups: ingestion says "new events arrived", the engine runtime listens and runs at once.

State never lives here: the engine always re-reads the database, so a missed wake-up only costs latency
(the interval job catches up).
"""

from __future__ import annotations

from collections.abc import Callable

_listeners: list[Callable[[], None]] = []


def subscribe(listener: Callable[[], None]) -> Callable[[], None]:
    """Register a listener; returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def events_arrived() -> None:
    """Call after committing new events (track, identify, segment changes)."""
    for listener in list(_listeners):
        listener()
