"""On PostgreSQL, a worker wakes as soon as any process commits new events (``LISTEN``/``NOTIFY``), instead of
waiting for its next poll. A thread holds one session connection; when the database goes away it reconnects
with a growing pause (0.5 s doubling to 30 s). Polling still runs, so a lost notification only costs latency.
"""

from __future__ import annotations

import logging
import threading

from app.core import wakeup
from storage.db import Database

log = logging.getLogger("parcours.listener")
MAX_BACKOFF_S = 30.0


class EventListener:
    def __init__(self, db: Database) -> None:
        self.db = db
        self.stop_flag = threading.Event()
        self.thread = threading.Thread(target=self._run, name="parcours-listen", daemon=True)
        self.notifications = 0

    def start(self) -> EventListener:
        self.thread.start()
        return self

    def _on_event(self) -> None:
        self.notifications += 1
        wakeup.wake_local()

    def _run(self) -> None:
        backoff = 0.5
        while not self.stop_flag.is_set():
            try:
                self.db.listen_events(self._on_event, self.stop_flag)
                backoff = 0.5
            except Exception as exc:  # the database restarted or the network failed: try again later
                log.warning("listening for new events failed (%s); retrying in %.1f s", exc, backoff)
                self.stop_flag.wait(backoff)
                backoff = min(MAX_BACKOFF_S, backoff * 2)

    def stop(self) -> None:
        self.stop_flag.set()
        self.thread.join(timeout=5)


def start(db: Database) -> EventListener | None:
    return EventListener(db).start() if db.postgres else None
