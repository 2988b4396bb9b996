"""Engine and session setup. SQLite by default; any SQLAlchemy URL works."""

from __future__ import annotations

import os
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext, suppress
from pathlib import Path
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Engine, make_url
from sqlmodel import Session, create_engine

from journeys import codec

IDLE_IN_TRANSACTION_MS = 120_000
EVENTS_CHANNEL = "parcours_events"


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


def _create_private(path: Path) -> None:
    """Create the database file owner-only before SQLite opens it (its -wal and -shm files copy its mode)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with suppress(FileExistsError):
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def make_engine(url: str) -> Engine:
    parsed = make_url(url)
    # Every JSON column is written and read with the one codec the hot paths use (journeys/codec.py).
    kwargs: dict[str, Any] = {"json_serializer": codec.dumps, "json_deserializer": codec.parse_stored}
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            _create_private(Path(parsed.database))
        kwargs["connect_args"] = {"check_same_thread": False, "timeout": 30}
    if parsed.get_backend_name() == "postgresql":
        # A connection that died with a database restart is replaced on checkout instead of failing a request;
        # a transaction left idle by a stalled process is ended by the server, releasing its locks and leases.
        kwargs.update(pool_pre_ping=True, pool_size=8, max_overflow=8)
        kwargs["connect_args"] = {"options": f"-c idle_in_transaction_session_timeout={IDLE_IN_TRANSACTION_MS}"}
    engine = create_engine(url, **kwargs)
    if parsed.get_backend_name() == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


class Database:
    """One engine per process; a session per unit of work."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.engine = make_engine(url)
        # SQLite has one writer at a time; threads that collide sleep in its busy handler (1 ms, 2 ms, 5 ms...)
        # long after the lock is free. Hot writers of this process queue on this lock instead.
        self._lock_fd: int | None = None
        self._writers: AbstractContextManager[Any] = (
            threading.RLock() if self.engine.dialect.name == "sqlite" else nullcontext()
        )

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A transaction: committed when the block ends, rolled back on any error."""
        with Session(self.engine, expire_on_commit=False) as session:
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    @contextmanager
    def write_session(self) -> Iterator[Session]:
        """Like ``session`` for write-heavy units of work (ingestion), taking turns with this process's others.

        On SQLite the transaction begins ``IMMEDIATE``: it holds the write lock from its first read, so units
        of work in other processes (several ingestion processes, a worker) queue on the lock instead of
        reading, then finding at their first write that another process changed what they read.
        """
        with self._writers, self._other_processes(), self.session() as session:
            if self.engine.dialect.name == "sqlite":
                session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            yield session

    @contextmanager
    def _other_processes(self) -> Iterator[None]:
        """On a SQLite file, an exclusive ``flock`` on ``<database>-writer.lock`` around each unit of work.

        Ingestion processes writing one file wait for each other in the kernel, which wakes the next one the
        moment the lock is free; SQLite's own busy handler sleeps 1, 2, 5, 10... ms between tries, leaving the
        lock idle, which made two processes slower than one. Threads of this process queue on ``_writers``
        first, so the descriptor is only ever locked by one of them at a time.
        """
        path = self.engine.url.database if self.engine.dialect.name == "sqlite" else None
        if not path or path == ":memory:" or sys.platform == "win32":
            yield
            return
        import fcntl

        if self._lock_fd is None:
            self._lock_fd = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    @property
    def postgres(self) -> bool:
        return self.engine.dialect.name == "postgresql"

    def notify_events(self) -> None:
        """Tell every worker listening on PostgreSQL that new events were committed (nothing on SQLite)."""
        if self.postgres:
            with self.engine.connect() as conn:
                conn.exec_driver_sql(f"NOTIFY {EVENTS_CHANNEL}")
                conn.commit()

    def listen_events(self, on_event: Callable[[], None], stop: threading.Event, timeout_s: float = 1.0) -> None:
        """Call ``on_event`` for each notification until ``stop`` is set (PostgreSQL; a session connection of
        its own, outside the pool). Raises when the connection fails: the caller reconnects."""
        import psycopg

        url = self.engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
        with psycopg.connect(url, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f"LISTEN {EVENTS_CHANNEL}")
            while not stop.is_set():
                if any(True for _ in conn.notifies(timeout=timeout_s)):
                    on_event()

    def migrate(self) -> None:
        from storage.migrate import upgrade

        upgrade(self.engine)

    def dispose(self) -> None:
        self.engine.dispose()
        if self._lock_fd is not None:
            os.close(self._lock_fd)
            self._lock_fd = None
