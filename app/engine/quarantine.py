"""Quarantine: rows the engine or the dispatcher cannot process are parked with their reason, so one bad row
never stops a pass for everyone else. Admins list them, put them back (retry) or give up on them (discard).

The hot paths pay nothing for this: a batch runs as one transaction as always, and only when it raises is it
split in halves (each half its own transaction) until the failing rows stand alone and can be parked.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.exc import InterfaceError, OperationalError

from app.access import audit
from app.core.context import AppContext
from journeys.errors import NotFoundError
from storage import quarantine as store
from storage.enrollments import Conflict
from storage.quarantine import Parked, reason

log = logging.getLogger("parcours.quarantine")

# Trouble with the database itself (locked, gone, raced by another worker) is not the row's fault: the pass
# fails as before and runs again later; nothing is parked for it.
INFRASTRUCTURE: tuple[type[BaseException], ...] = (Conflict, OperationalError, InterfaceError, MemoryError)

Tally = tuple[int, int]


def guarded(run: Callable[[], Tally], isolate: Callable[[], Tally], what: str) -> Tally:
    """The normal path, ``run``; when it raises for anything but the database itself, ``isolate``."""
    try:
        return run()
    except INFRASTRUCTURE:
        raise
    except Exception:
        log.exception("a batch of %s failed; isolating the rows that cannot be processed", what)
        return isolate()


def attempt(ids: list[int], run: Callable[[list[int]], Tally], park: Callable[[int, Exception], None]) -> Tally:
    """``run(ids)`` in one go; if it raises, run each half the same way, and park a row that fails alone."""
    if not ids:
        return 0, 0
    try:
        return run(ids)
    except INFRASTRUCTURE:
        raise
    except Exception as exc:
        if len(ids) == 1:
            log.warning("parked row %s: %s", ids[0], reason(exc))
            park(ids[0], exc)
            return 0, 1
        middle = len(ids) // 2
        first = attempt(ids[:middle], run, park)
        second = attempt(ids[middle:], run, park)
        return first[0] + second[0], first[1] + second[1]


def park_one(ctx: AppContext, kind: str, row_id: int, exc: Exception) -> None:
    with ctx.db.engine.begin() as conn:
        store.park(conn, [Parked(kind, row_id, reason(exc))], int(ctx.clock.now().timestamp()))


@dataclass(frozen=True)
class Entry:
    id: int
    kind: str
    row_id: int
    journey_id: int | None
    contact_id: int | None
    reason: str
    created_at: int


def count(ctx: AppContext) -> int:
    with ctx.db.engine.connect() as conn:
        return store.count(conn)


def entries(ctx: AppContext, *, limit: int = 500) -> list[Entry]:
    with ctx.db.engine.connect() as conn:
        return [Entry(*row) for row in store.listing(conn, limit=limit)]


class NotQuarantined(NotFoundError):
    """No quarantine entry with that id (already retried or discarded)."""


def retry(ctx: AppContext, entry_id: int, *, actor: str) -> bool:
    """Put a parked row back: the enrollment due now, the message pending now, the event processed again.

    Returns False when the event failed again (it stays parked, with the new reason)."""
    now = int(ctx.clock.now().timestamp())
    entry = _entry(ctx, entry_id)
    ok = True
    if entry.kind == "event":
        from app.engine.engine import Engine

        try:
            Engine(ctx).replay(entry.row_id)
        except INFRASTRUCTURE:
            raise
        except Exception as exc:
            park_one(ctx, "event", entry.row_id, exc)
            ok = False
    if ok:
        with ctx.db.engine.begin() as conn:
            store.release(conn, entry, now)
    audit.record(ctx, actor, "quarantine.retry", f"{entry.kind} {entry.row_id}", {"ok": ok, "reason": entry.reason})
    return ok


def discard(ctx: AppContext, entry_id: int, *, actor: str) -> None:
    """Give up on a parked row (enrollments and messages end as failed; events stay skipped)."""
    entry = _entry(ctx, entry_id)
    with ctx.db.engine.begin() as conn:
        store.discard(conn, entry, int(ctx.clock.now().timestamp()))
    audit.record(ctx, actor, "quarantine.discard", f"{entry.kind} {entry.row_id}", {"reason": entry.reason})


def _entry(ctx: AppContext, entry_id: int) -> Entry:
    with ctx.db.engine.connect() as conn:
        row = store.get(conn, entry_id)
    if row is None:
        raise NotQuarantined(f"no quarantined row {entry_id}")
    return Entry(*row)
