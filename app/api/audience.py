"""Management API, read side of the audience: saved segments (with live counts) and contacts (search, profile).

Viewers and up; writes to contacts go through the tracking API, CSV import and the GDPR routes.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, HTTPException, Path, Query

from app.access.policy import VIEWER, Principal, api_access
from app.core.context import current
from storage import contacts_queries, segments
from storage.contacts_queries import MAX_PAGE_SIZE
from storage.models import Contact

router = APIRouter(prefix="/api/v1", tags=["audience"])
Reader = Annotated[Principal, Depends(api_access(VIEWER))]
_PROFILE_FIELDS = ("id", "external_id", "anonymous_id", "email", "phone", "time_zone", "locale", "attributes")


@router.get("/segments", summary="List saved segments")
def list_segments(_who: Reader) -> dict[str, Any]:
    with current().db.session() as session:
        rows = segments.list_segments(session)
    return {"segments": [_segment(row) for row in rows]}


@router.get("/segments/{name}", summary="Read a saved segment with its live member count")
def get_segment(
    name: Annotated[str, Path(max_length=200, openapi_examples={"vip": {"value": "VIP customers"}})], _who: Reader
) -> dict[str, Any]:
    ctx = current()
    with ctx.db.session() as session:
        try:
            row = segments.get_segment(session, name=name)
        except segments.UnknownSegment as exc:
            raise HTTPException(404, detail=f"name: no segment {name[:80]!r}") from exc
        count = segments.count_segment(session, condition=row.condition, now=ctx.clock.now())
    return _segment(row) | {"count": count}


def _segment(row: Any) -> dict[str, Any]:
    return {
        "name": row.name,
        "description": row.description,
        "condition": row.condition,
        "created_at": row.created_at.isoformat(),
        "updated_at": row.updated_at.isoformat(),
    }


@router.get("/contacts", summary="Search contacts")
def search_contacts(
    _who: Reader,
    external_id: Annotated[str | None, Query(max_length=200, openapi_examples={"id": {"value": "user-42"}})] = None,
    email: Annotated[
        str | None, Query(max_length=320, openapi_examples={"email": {"value": "ann@example.com"}})
    ] = None,
    q: Annotated[str, Query(max_length=200, description="Contained in email, phone, external id or attributes")] = "",
    page: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
    page_size: Annotated[int, Query(ge=1, le=MAX_PAGE_SIZE)] = 25,
) -> dict[str, Any]:
    """Exact `external_id` and `email` (case-insensitive) filters, free-text `q`, newest first, paginated."""
    with current().db.session() as session:
        found = contacts_queries.search_contacts(
            session, query=q, page=page, page_size=page_size, external_id=external_id, email=email
        )
    items = [
        {
            "id": row.id,
            "external_id": row.external_id,
            "email": row.email,
            "phone": row.phone,
            "first_name": row.first_name,
            "last_name": row.last_name,
            "time_zone": row.time_zone,
            "last_seen_at": row.last_seen_at.isoformat() if row.last_seen_at else None,
        }
        for row in found.items
    ]
    return {
        "contacts": items,
        "total": found.total,
        "page": found.page,
        "page_size": found.page_size,
        "pages": found.pages,
    }


@router.get("/contacts/{external_id}", summary="Read a contact's profile")
def get_contact(
    external_id: Annotated[str, Path(max_length=200, openapi_examples={"id": {"value": "user-42"}})], _who: Reader
) -> dict[str, Any]:
    with current().db.session() as session:
        found = contacts_queries.search_contacts(session, external_id=external_id, page_size=1)
        contact = contacts_queries.get_contact(session, contact_id=found.items[0].id) if found.items else None
        if contact is None:
            raise HTTPException(404, detail=f"external_id: no contact {external_id[:80]!r}")
        profile = _profile(contact)
    return profile


def _profile(contact: Contact) -> dict[str, Any]:
    out = {name: getattr(contact, name) for name in _PROFILE_FIELDS}
    for name in ("first_seen_at", "last_seen_at", "created_at", "updated_at"):
        value = getattr(contact, name)
        out[name] = value.isoformat() if value else None
    return out
