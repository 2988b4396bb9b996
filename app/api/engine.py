"""Engine endpoints: API entry into a journey, the in-app inbox, and the outbox (sandbox included)."""

from __future__ import annotations

from typing import Any, Literal

from fastapi import APIRouter, Depends, HTTPException, Path, Query
from pydantic import BaseModel, ConfigDict, Field

from app.access.policy import MARKETER, Principal, api_access, public_api
from app.api.auth import require_api_key, require_enroll_key
from app.api.deps import Ctx
from app.engine import service as engine_service
from journeys import codec

router = APIRouter(prefix="/api/v1", tags=["engine"])
# App/back-end facing routes authenticate with a key, not with a signed-in account. API entry takes a tracking
# key or a marketer management token (open on a fresh install); the in-app inbox takes tracking keys only.
ENROLL_ACCESS = [Depends(public_api), Depends(require_enroll_key)]
APP_ACCESS = [Depends(public_api), Depends(require_api_key)]


class EnrollRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")

    external_id: str = Field(min_length=1, max_length=200, description="The contact's id in your systems")
    properties: dict[str, Any] = Field(default_factory=dict, description="Available as {{ event.* }}")


@router.post("/journeys/{journey_id}/enroll", status_code=202, dependencies=ENROLL_ACCESS)
def enroll(
    ctx: Ctx, body: EnrollRequest, journey_id: int = Path(ge=1, le=codec.INT_MAX, description="The journey's id")
) -> dict[str, Any]:
    """Put a contact into a live journey that starts with an API trigger."""
    entered = engine_service.enroll(ctx, journey_id, external_id=body.external_id, properties=body.properties)
    return {"enrolled": entered, "reason": None if entered else "re-entry rules"}


@router.get("/contacts/{external_id}/in-app", dependencies=APP_ACCESS)
def in_app(ctx: Ctx, external_id: str, include_read: bool = False) -> dict[str, Any]:
    """The contact's in-app messages that have not expired (unread only unless include_read)."""
    found = engine_service.in_app_messages(ctx, external_id=external_id, unread_only=not include_read)
    if found is None:
        raise HTTPException(404, detail=f"external_id: no contact {external_id!r}")
    return {"messages": found}


@router.post("/contacts/{external_id}/in-app/{message_id}/read", dependencies=APP_ACCESS)
def mark_read(ctx: Ctx, external_id: str, message_id: str) -> dict[str, bool]:
    if not engine_service.mark_in_app_read(ctx, external_id=external_id, message_id=message_id):
        raise HTTPException(404, detail="message_id: no such message for this contact")
    return {"read": True}


@router.get("/outbox")
def list_outbox(
    ctx: Ctx,
    status: Literal["pending", "sent", "failed", "sandbox"] | None = None,
    limit: int = Query(default=100, ge=1, le=1000),
    _principal: Principal = Depends(api_access(MARKETER)),
) -> dict[str, Any]:
    """Latest outbox messages; status=sandbox shows what would have been sent without a provider."""
    from storage import outbox

    with ctx.db.engine.connect() as conn:
        rows = outbox.listing(conn, status=status, limit=limit)
        totals = outbox.status_counts(conn)
    items = [
        {
            "message_id": r.message_id,
            "journey_id": r.journey_id,
            "node_id": r.node_id,
            "contact_id": r.contact_id,
            "channel": r.channel,
            "status": r.status,
            "attempts": r.attempts,
            "last_error": r.last_error,
            "payload": r.payload,
        }
        for r in rows
    ]
    return {"totals": totals, "messages": items}
