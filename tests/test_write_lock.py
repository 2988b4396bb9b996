"""Units of ingestion work hold SQLite's write lock from their first read, so several processes (ingestion
processes, a worker) writing one file queue on the lock instead of acting on what another just changed."""

from __future__ import annotations

import fcntl
import os
import sqlite3

import pytest
from sqlalchemy import func, select

from storage.contacts import CONTACTS
from storage.db import Database


def test_a_write_session_holds_the_write_lock_from_its_first_read(tmp_path) -> None:
    path = tmp_path / "shared.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    other = sqlite3.connect(path, timeout=0, isolation_level=None)  # another process, which will not wait
    with db.write_session() as session:
        assert session.execute(select(func.count()).select_from(CONTACTS)).scalar() == 0
        with pytest.raises(sqlite3.OperationalError, match="locked"):
            other.execute("BEGIN IMMEDIATE")
    other.execute("BEGIN IMMEDIATE")  # free again once the unit of work has committed
    other.execute("ROLLBACK")
    other.close()
    with db.session() as session:  # plain sessions stay deferred: reading takes no write lock
        session.execute(select(func.count()).select_from(CONTACTS)).scalar()
        other = sqlite3.connect(path, timeout=0, isolation_level=None)
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        other.close()
    db.dispose()


def test_processes_wait_for_each_other_in_the_kernel_not_in_sqlites_busy_sleeps(tmp_path) -> None:
    path = tmp_path / "shared.db"
    db = Database(f"sqlite:///{path}")
    db.migrate()
    other = os.open(f"{path}-writer.lock", os.O_RDWR | os.O_CREAT, 0o600)  # another process's descriptor
    with db.write_session(), pytest.raises(BlockingIOError):
        fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)
    fcntl.flock(other, fcntl.LOCK_EX | fcntl.LOCK_NB)  # released with the unit of work
    fcntl.flock(other, fcntl.LOCK_UN)
    os.close(other)
    assert oct(os.stat(f"{path}-writer.lock").st_mode & 0o777) == "0o600"
    db.dispose()
