"""Wake-ups: ingestion says "new events arrived", the engine runtime listens and runs at once.

State never lives here: the engine always re-reads the database, so a missed wake-up only costs latency
(the interval job catches up).
"""

from __future__ import annotations

import logging
from collections.abc import Callable

_listeners: list[Callable[[], None]] = []
_broadcast: Callable[[], None] | None = None  # tells other processes (PostgreSQL NOTIFY), set by the context


def subscribe(listener: Callable[[], None]) -> Callable[[], None]:
    """Register a listener; returns a function that removes it."""
    _listeners.append(listener)
    return lambda: _listeners.remove(listener) if listener in _listeners else None


def set_broadcast(broadcast: Callable[[], None] | None) -> None:
    global _broadcast
    _broadcast = broadcast


def events_arrived() -> None:
    """Call after committing new events (track, identify, segment changes): wakes this process's engine and,
    on PostgreSQL, every worker process (they listen for the notification: app/core/listener.py)."""
    wake_local()
    if _broadcast is not None:
        try:
            _broadcast()
        except Exception:  # the events are committed; a lost wake-up only costs the next poll's latency
            logging.getLogger("parcours.wakeup").warning("could not notify other processes", exc_info=True)


def wake_local() -> None:
    for listener in list(_listeners):
        listener()
