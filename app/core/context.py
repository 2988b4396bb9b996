"""The long-lived services of one Parcours process: settings, database and clock."""

from __future__ import annotations

from dataclasses import dataclass

from app.core import wakeup
from app.core.settings import Settings, get_settings
from journeys.clock import Clock, SystemClock
from storage.db import Database


@dataclass
class AppContext:
    settings: Settings
    db: Database
    clock: Clock


_current: AppContext | None = None


def init(settings: Settings | None = None, clock: Clock | None = None, *, migrate: bool = True) -> AppContext:
    """Open the database (bringing it to the latest schema) and make the context current."""
    global _current
    settings = settings or get_settings()
    db = Database(settings.database_url)
    if migrate:
        db.migrate()
    _current = AppContext(settings=settings, db=db, clock=clock or SystemClock())
    wakeup.set_broadcast(db.notify_events if db.postgres else None)
    return _current


def current() -> AppContext:
    if _current is None:
        raise RuntimeError("Parcours is not initialised; call app.core.context.init() first")
    return _current


def close() -> None:
    global _current
    if _current is not None:
        wakeup.set_broadcast(None)
        _current.db.dispose()
        _current = None
