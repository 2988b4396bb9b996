"""The engine's event intake: each held partition's new events, in id order, one transaction per batch.

A batch locks its partition row and checks this worker still leases it (storage/partitions.py), so a worker
whose partition was taken over stops instead of taking the same events twice. An event that cannot be
processed alone is parked (quarantine) and its partition's cursor moves past it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection

from app.core.gc_pause import paused_gc
from app.engine import quarantine
from storage import enrollments as store
from storage import partitions
from storage import quarantine as parked

if TYPE_CHECKING:
    from app.core.context import AppContext
    from app.engine.leases import Leases


class EventIntake:
    """Mixed into the engine, which provides the context, leases, batch size and ``_take_events``."""

    ctx: AppContext
    leases: Leases
    batch_size: int

    def now(self) -> int:
        raise NotImplementedError

    def _take_events(self, conn: Connection, events: list[tuple[int, int, str, dict[str, Any]]], now: int) -> int:
        raise NotImplementedError

    def consume_events(self) -> tuple[int, int]:
        """New events of every partition this worker holds, one partition per transaction, each in id order."""
        now, steps, taken = self.now(), 0, 0
        for part in self.leases.held():
            got = quarantine.guarded(
                lambda p=part: self._consume(now, p), lambda p=part: self._consume_isolated(now, p), "events"
            )
            steps, taken = steps + got[0], taken + got[1]
        return steps, taken

    def _consume_isolated(self, now: int, part: int) -> tuple[int, int]:
        with self.ctx.db.engine.connect() as conn:
            ids = store.event_ids(conn, after=partitions.position(conn, part), limit=self.batch_size, part=part)
        return quarantine.attempt(
            ids, lambda chunk: self._consume(now, part, chunk[-1]), lambda i, exc: self._park_event(part, i, exc)
        )

    def _consume(self, now: int, part: int, until: int | None = None) -> tuple[int, int]:
        """A partition's events after its cursor (up to ``until``) in one transaction; unreadable ones are parked."""
        with paused_gc(), self.ctx.db.engine.begin() as conn:
            if not partitions.lock_owned(conn, self.leases.worker, [part], self.leases.now()):
                return 0, 0  # taken over by another worker since the last renewal
            cursor = partitions.position(conn, part)
            events, bad, last = store.read_events(conn, after=cursor, limit=self.batch_size, until=until, part=part)
            if not last:
                return 0, 0
            parked.park(conn, bad, now)
            steps = self._take_events(conn, events, now) if events else 0
            partitions.set_position(conn, part, last)
        return steps, len(events) + len(bad)

    def _park_event(self, part: int, event_id: int, exc: Exception) -> None:
        """Park an event that fails alone and move its partition's cursor past it, in one transaction."""
        with self.ctx.db.engine.begin() as conn:
            parked.park(conn, [parked.Parked("event", event_id, parked.reason(exc))], self.now())
            partitions.set_position(conn, part, max(event_id, partitions.position(conn, part)))
