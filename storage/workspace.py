"""Workspace settings: one JSON document per key."""

from __future__ import annotations

from datetime import datetime
from typing import Any

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
