"""When the engine refreshes PostgreSQL's planner statistics (storage/planner_stats.py): every few seconds of
work at most, measured on the process's monotonic clock (upkeep, not journey time)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from app.core.context import AppContext
from storage import planner_stats

log = logging.getLogger(__name__)
EVERY_S = 2.0


class PlannerStatistics:
    def __init__(self, ctx: AppContext, *, every_s: float = EVERY_S, clock: Callable[[], float] = time.monotonic):
        self.ctx = ctx
        self.every_s = every_s
        self.clock = clock
        self._next = clock()  # the first batch checks at once

    def refresh_if_due(self) -> list[str]:
        if self.ctx.db.engine.dialect.name != "postgresql" or self.clock() < self._next:
            return []
        self._next = self.clock() + self.every_s
        with self.ctx.db.engine.begin() as conn:
            analysed = planner_stats.refresh(conn)
        if analysed:
            log.debug("planner statistics refreshed: %s", ", ".join(analysed))
        return analysed
