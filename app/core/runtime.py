"""The engine runtime: an APScheduler job that runs the engine, scheduled entries and the dispatcher.

State lives in the database, never in the scheduler, so the job store is in memory and a missed run only
costs latency. Incoming events (app.core.wakeup) pull the next run forward to now.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from app.core import listener, wakeup
from app.core.context import AppContext
from app.engine.leases import once_per_period

log = logging.getLogger("parcours.runtime")
TICK_JOB = "parcours.engine.tick"
ENTRIES_JOB = "parcours.engine.entries"
RETENTION_JOB = "parcours.gdpr.retention"
SEGMENTS_JOB = "parcours.segments.refresh"
DEMO_JOB = "parcours.demo.tick"
CRM_JOB = "parcours.crm.sync"
RECO_JOB = "parcours.recommendations.refresh"
PREDICTIONS_JOB = "parcours.predictions.nightly"
BEST_TIME_JOB = "parcours.best_time.refresh"

_runtime: Runtime | None = None


class Runtime:
    def __init__(self, ctx: AppContext) -> None:
        from app.delivery.dispatch import Dispatcher
        from app.engine.engine import Engine

        self.ctx = ctx
        self.engine = Engine(ctx, batch_size=ctx.settings.engine_batch_size)
        self.dispatcher = Dispatcher(ctx)
        self.scheduler: AsyncIOScheduler | None = None
        self._unsubscribe = None
        self._listener: listener.EventListener | None = None
        self.ticks = 0  # passes completed, for health checks and tests

    def tick(self) -> None:
        """Advance journeys, then drain the outbox. Errors are logged; the next tick tries again."""
        try:
            self.engine.run()
        except Exception:
            log.exception("engine pass failed")
        try:
            self.dispatcher.run()
        except Exception:
            log.exception("dispatch pass failed")
        self.ticks += 1

    def entries(self) -> None:
        from app.engine.entries import run_scheduled_entries

        try:
            once_per_period(self.ctx, ENTRIES_JOB, 60, lambda: run_scheduled_entries(self.engine))
        except Exception:
            log.exception("scheduled entries failed")

    def segments(self) -> None:
        """Time-based segments (windows, relative dates) change with time alone: re-check them."""
        from app.audience.segment_service import reevaluate_segments

        try:
            period = self.ctx.settings.segment_refresh_s
            once_per_period(self.ctx, SEGMENTS_JOB, period, lambda: reevaluate_segments(self.ctx))
        except Exception:
            log.exception("segment re-evaluation failed")

    def wake(self) -> None:
        if self.scheduler is not None and self.scheduler.running:
            with contextlib.suppress(LookupError):
                self.scheduler.modify_job(TICK_JOB, next_run_time=datetime.now(UTC))

    def start(self) -> None:
        interval = self.ctx.settings.engine_interval_s
        scheduler = AsyncIOScheduler(timezone=UTC)
        options = {"replace_existing": True, "max_instances": 1, "coalesce": True, "misfire_grace_time": None}
        scheduler.add_job("app.core.runtime:run_tick", "interval", seconds=interval, id=TICK_JOB, **options)
        scheduler.add_job("app.core.runtime:run_entries", "interval", seconds=60, id=ENTRIES_JOB, **options)
        scheduler.add_job("app.core.runtime:run_retention", "interval", days=1, id=RETENTION_JOB, **options)
        refresh_s = self.ctx.settings.segment_refresh_s
        scheduler.add_job("app.core.runtime:run_segments", "interval", seconds=refresh_s, id=SEGMENTS_JOB, **options)
        # Simulated traffic while the demo is on (a no-op otherwise): app/demo/live.py
        scheduler.add_job("app.demo.live:run_tick", "interval", seconds=5, id=DEMO_JOB, **options)
        # CRM imports and write-backs: each enabled CRM runs when its own schedule says (app/integrations/crm).
        scheduler.add_job("app.core.runtime:run_crm", "interval", seconds=60, id=CRM_JOB, **options)
        # Product recommendations from shop events (app/recommendations/service.py).
        scheduler.add_job("app.core.runtime:run_recommendations", "interval", hours=1, id=RECO_JOB, **options)
        # Conversion and churn scores: every goal retrained and rescored at night (app/predictions/service.py).
        scheduler.add_job("app.core.runtime:run_predictions", "cron", hour=3, id=PREDICTIONS_JOB, **options)
        # Best-time profiles from new app sessions and opens (app/engagement/best_time.py).
        scheduler.add_job("app.core.runtime:run_best_time", "interval", minutes=5, id=BEST_TIME_JOB, **options)
        scheduler.start()
        self.scheduler = scheduler
        self._unsubscribe = wakeup.subscribe(self.wake)
        self._listener = listener.start(self.ctx.db)
        self.wake()

    def stop(self) -> None:
        if self._unsubscribe:
            self._unsubscribe()
        if self._listener is not None:
            self._listener.stop()
        if self.scheduler is not None and self.scheduler.running:
            self.scheduler.shutdown(wait=True)
        self.dispatcher.close()
        try:  # hand the partitions over at once instead of letting their leases run out
            self.engine.leases.release()
        except Exception:
            log.warning("could not release this worker's partitions; they are taken over when the lease ends")


def run_tick() -> None:
    if _runtime is not None:
        _runtime.tick()


def run_entries() -> None:
    if _runtime is not None:
        _runtime.entries()


def run_segments() -> None:
    if _runtime is not None:
        _runtime.segments()


def _logged(what: str, name: str, period_s: float, job: Callable[[AppContext], object]) -> None:
    """Run a periodic job on the runtime's context, once per period across every worker (a database lease);
    a failure is logged and the next period tries again."""
    if _runtime is None:
        return
    ctx = _runtime.ctx
    try:
        once_per_period(ctx, name, period_s, lambda: job(ctx))
    except Exception:
        log.exception("%s failed", what)


def run_retention() -> None:
    """Daily: purge raw events and message bodies past the retention settings."""
    from app.privacy.gdpr import purge_expired

    _logged("retention purge", RETENTION_JOB, 86_400, purge_expired)


def run_crm() -> None:
    """Every minute: each enabled CRM whose schedule has come is imported and written back."""
    from app.integrations.crm.sync import run_due

    _logged("CRM sync", CRM_JOB, 60, run_due)


def run_recommendations() -> None:
    """Hourly: every contact's recommended products recomputed from the latest shop events."""
    from app.recommendations.service import refresh

    _logged("recommendations refresh", RECO_JOB, 3_600, refresh)


def run_predictions() -> None:
    """Nightly: every goal with a model configured retrained and every contact rescored."""
    from app.predictions.service import retrain_all

    _logged("predictions retraining", PREDICTIONS_JOB, 3_600, retrain_all)


def run_best_time() -> None:
    """Every five minutes: app sessions and message opens since the last run added to best-time profiles."""
    from app.engagement.best_time import refresh

    _logged("best-time profiles refresh", BEST_TIME_JOB, 300, refresh)


def start(ctx: AppContext) -> Runtime:
    """Start the runtime inside a running asyncio loop (NiceGUI startup or the worker)."""
    global _runtime
    stop()
    _runtime = Runtime(ctx)
    _runtime.start()
    return _runtime


def stop() -> None:
    global _runtime
    if _runtime is not None:
        _runtime.stop()
        _runtime = None
