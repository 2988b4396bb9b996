"""Liveness and readiness."""

from __future__ import annotations

from fastapi import APIRouter
from sqlalchemy import text

from app.api.deps import Ctx

router = APIRouter(prefix="/api/v1", tags=["health"])


@router.get("/health")
def health(ctx: Ctx) -> dict[str, str]:
    """Returns ok when the database answers."""
    with ctx.db.engine.connect() as conn:
        conn.execute(text("SELECT 1"))
    return {"status": "ok"}
