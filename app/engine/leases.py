"""This worker's share of the work: its identity, the contact partitions it leases, and once-per-period jobs.

See storage/partitions.py for the tables. A worker is one process: engines built in the same process share
its identity (and its leases). Leases run on the context's clock, so tests move time to expire them.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable

from app.core.context import AppContext
from storage import partitions

log = logging.getLogger("parcours.leases")
HOST = socket.gethostname()
PROCESS = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def process_identity() -> str:
    """``host:pid:token`` of this process (a new token after a fork, so children never share leases)."""
    global PROCESS
    if PROCESS.split(":")[1] != str(os.getpid()):
        PROCESS = f"{HOST}:{os.getpid()}:{uuid.uuid4().hex[:8]}"
    return PROCESS


def died_here(owner: str) -> bool:
    """True when ``owner`` is a process of this host that no longer runs: its partitions are free at once."""
    host, _, rest = owner.partition(":")
    pid = rest.partition(":")[0]
    if host != HOST or not pid.isdigit() or owner == process_identity():
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


class Leases:
    """The partitions this worker holds, renewed when a third of the lease has passed."""

    def __init__(self, ctx: AppContext, worker: str | None = None) -> None:
        self.ctx = ctx
        self.worker = worker or process_identity()
        self.lease_s = ctx.settings.worker_lease_s
        self._held: list[int] = []
        self._renewed_at: int | None = None
        self.closed = False  # released for good: a pass still running when the worker stops takes nothing more

    def now(self) -> int:
        return int(self.ctx.clock.now().timestamp())

    def held(self, *, force: bool = False) -> list[int]:
        if self.closed:
            return []
        now = self.now()
        fresh = self._renewed_at is not None and 0 <= now - self._renewed_at < max(1, self.lease_s // 3)
        if force or not fresh:
            with self.ctx.db.engine.begin() as conn:
                held = partitions.balance(conn, self.worker, now=now, lease_s=self.lease_s, dead=died_here)
            if held != self._held:
                log.info("worker %s holds partitions %s", self.worker, held)
            self._held, self._renewed_at = held, now
        return self._held

    def release(self) -> None:
        """Give the partitions back for good (the worker is stopping)."""
        self.closed = True
        with self.ctx.db.engine.begin() as conn:
            partitions.release(conn, self.worker)
        self._held, self._renewed_at = [], None


def once_per_period(ctx: AppContext, name: str, period_s: float, job: Callable[[], object]) -> bool:
    """Run ``job`` unless another worker already ran ``name`` within the period; True when it ran here."""
    with ctx.db.engine.begin() as conn:
        mine = partitions.take_job(
            conn, name, process_identity(), now=int(ctx.clock.now().timestamp()), period_s=period_s
        )
    if mine:
        job()
    return mine
