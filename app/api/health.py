"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.core.context import current

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.get("/health")
def health() -> dict[str, str]:
    """Returns ok when the database answers."""
    with current().db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}
