"""Workspace settings: one JSON document per key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.models import WorkspaceSetting


def get_setting(session: Session, *, key: str) -> dict[str, Any] | None:
    row = session.get(WorkspaceSetting, key)
    return None if row is None else dict(row.value)


def put_setting(session: Session, *, key: str, value: dict[str, Any], now: datetime) -> None:
    row = session.get(WorkspaceSetting, key) or WorkspaceSetting(key=key, updated_at=now)
    row.value = value
    row.updated_at = now
    session.add(row)


def setting_once(session: Session, *, key: str, value: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The stored value of ``key``, storing ``value`` first when there is none (racing writers keep the first)."""
    row = session.get(WorkspaceSetting, key)
    if row is None:
        try:
            with session.begin_nested():
                session.add(WorkspaceSetting(key=key, value=value, updated_at=now))
        except IntegrityError:
            pass  # another process stored it first: read theirs
        row = session.get(WorkspaceSetting, key)
    assert row is not None
    return dict(row.value)


def get_setting_conn(conn: Connection, *, key: str) -> dict[str, Any] | None:
    """``get_setting`` inside a Core transaction (the dispatcher's and the demo's batch connections)."""
    table = WorkspaceSetting.__table__
    value = conn.execute(select(table.c.value).where(table.c.key == key)).scalar_one_or_none()
    return None if value is None else dict(value)
