"""Management API for journeys: list, read, create, update the draft, validate, publish, pause, resume,
archive, export, diff and apply (journeys as code). ``{journey}`` is the journey's id or its key.

Reading needs the viewer role, changing needs marketer. The draft is updated with the revision the caller read
(``If-Match: "3"`` or ``?expected_revision=3``): a draft saved meanwhile gets 409 naming the current revision.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header, Path, Query, Response
from fastapi.responses import JSONResponse

from app.access.policy import MARKETER, VIEWER, Principal, api_access
from app.api.deps import Ctx
from app.api.journey_bodies import DOCUMENT_BODY, ERRORS, document_body
from app.authoring import apply as journey_apply
from app.authoring import forecast as journey_forecast
from app.authoring import service as journey_service
from app.core.context import AppContext

router = APIRouter(prefix="/api/v1/journeys", tags=["journeys"], responses=ERRORS)

JourneyRef = Annotated[
    str,
    Path(
        max_length=80,
        description="The journey's id or key",
        openapi_examples={"id": {"value": "12"}, "key": {"value": "welcome-series"}},
    ),
]
Which = Annotated[
    str,
    Query(
        pattern=r"^(draft|live|[0-9]{1,9})$",
        description="A version number, `draft` or `live`",
        openapi_examples={"version": {"value": "1"}, "draft": {"value": "draft"}},
    ),
]
Reader = Annotated[Principal, Depends(api_access(VIEWER))]
Writer = Annotated[Principal, Depends(api_access(MARKETER))]
Body = Annotated[bytes, Depends(document_body)]


def _id(ctx: AppContext, ref: str) -> int:
    return journey_service.resolve(ctx, ref)


@router.get("", summary="List journeys")
def list_journeys(ctx: Ctx, _who: Reader) -> dict[str, Any]:
    """Every journey, newest change first, with its key, status, draft revision and live version."""
    rows = journey_service.list_overview(ctx)
    keys = ("id", "key", "name", "status", "revision", "live_version")
    return {
        "journeys": [{k: getattr(row, k) for k in keys} | {"updated_at": row.updated_at.isoformat()} for row, _ in rows]
    }


@router.post("", status_code=201, summary="Create a journey from a document", openapi_extra=DOCUMENT_BODY)
def create_journey(ctx: Ctx, who: Writer, body: Body) -> Any:
    """Store a valid document as a new draft (its `key`, when given, must be free: use apply to update)."""

    return journey_apply.describe(ctx, journey_service.import_journey(ctx, body, actor=who.email))


@router.post("/apply", summary="Create or update the journey with the document's key", openapi_extra=DOCUMENT_BODY)
def apply_journey(ctx: Ctx, who: Writer, body: Body, publish: bool = False) -> Any:
    """Same as `python main.py journey apply`: idempotent; `unchanged` is true when nothing was written."""
    return journey_apply.apply(ctx, body, publish=publish, actor=who.email).to_dict()


@router.post("/validate", summary="Validate a document without storing it", openapi_extra=DOCUMENT_BODY)
def validate_document(_who: Writer, body: Body) -> Any:
    _doc, violations = journey_service.check(body)
    return {"valid": not violations, "violations": journey_apply.violation_dicts(violations)}


@router.get("/{journey}", summary="Read a journey with its draft and versions")
def get_journey(ctx: Ctx, journey: JourneyRef, response: Response, _who: Reader) -> Any:
    """The `ETag` header carries the draft revision, to send back as `If-Match` when updating the draft."""
    found = journey_apply.describe(ctx, _id(ctx, journey))
    if isinstance(found, dict):
        response.headers["ETag"] = f'"{found["revision"]}"'
    return found


@router.put("/{journey}/draft", summary="Replace the draft", openapi_extra=DOCUMENT_BODY)
def update_draft(
    ctx: Ctx,
    journey: JourneyRef,
    who: Writer,
    body: Body,
    if_match: Annotated[str | None, Header(description='The revision read, e.g. "3"')] = None,
    expected_revision: Annotated[int | None, Query(ge=1, openapi_examples={"read": {"value": 3}})] = None,
) -> Any:
    """Replace the draft if it is still at the revision you read; graph problems are returned, not refused."""
    revision = expected_revision if expected_revision is not None else _revision(if_match)
    if revision is None:
        detail = 'expected_revision: send the revision you read as If-Match: "N" or ?expected_revision=N'
        return JSONResponse({"detail": detail}, status_code=428)

    return journey_apply.replace_draft(ctx, _id(ctx, journey), body, expected_revision=revision, actor=who.email)


def _revision(if_match: str | None) -> int | None:
    text = (if_match or "").strip().removeprefix("W/").strip('"')
    return int(text) if text.isdigit() and len(text) < 10 else None


@router.get("/{journey}/validation", summary="Validate the draft")
def validate_draft(ctx: Ctx, journey: JourneyRef, _who: Reader) -> Any:
    violations = journey_apply.describe(ctx, _id(ctx, journey))["violations"]
    return {"valid": not violations, "violations": violations}


@router.post("/{journey}/publish", summary="Publish the draft as the next version")
def publish_journey(ctx: Ctx, journey: JourneyRef, who: Writer) -> Any:
    journey_id = _id(ctx, journey)
    version = journey_service.publish(ctx, journey_id, published_by=who.email, actor=who.email)
    return {"id": journey_id, "version": version, "status": "live"}


@router.get("/{journey}/forecast", summary="Forecast the draft's next 7 days, sending nothing")
def forecast_journey(ctx: Ctx, journey: JourneyRef, _who: Reader) -> Any:
    """The draft played on the real audience with the workspace's rates: entries and messages per day, skips by
    reason, expected conversions (`conversion_source` says from what). Nothing is sent or stored; a draft that
    does not validate gets 422 with its violations."""
    return journey_forecast.forecast_journey(ctx, _id(ctx, journey)).as_dict()


def _change_status(ctx: AppContext, journey: str, action: str, who: Principal) -> Any:
    journey_id = _id(ctx, journey)
    return {"id": journey_id, "status": journey_service.change_status(ctx, journey_id, action, actor=who.email)}


@router.post("/{journey}/pause", summary="Pause a live journey")
def pause_journey(ctx: Ctx, journey: JourneyRef, who: Writer) -> Any:
    """Entries wait or are turned away, as the journey's `when_paused` setting says; 409 unless live."""
    return _change_status(ctx, journey, "pause", who)


@router.post("/{journey}/resume", summary="Resume a paused journey")
def resume_journey(ctx: Ctx, journey: JourneyRef, who: Writer) -> Any:
    return _change_status(ctx, journey, "resume", who)


@router.post("/{journey}/archive", summary="Archive a journey; contacts in it exit")
def archive_journey(ctx: Ctx, journey: JourneyRef, who: Writer) -> Any:
    return _change_status(ctx, journey, "archive", who)


@router.get("/{journey}/export", summary="Export the draft or a version as a document")
def export_journey(
    ctx: Ctx,
    journey: JourneyRef,
    who: Reader,
    version: Annotated[int | None, Query(ge=1, description="A published version; the draft when absent")] = None,
) -> Any:
    """The canonical document with the journey's key (given one from its name the first time)."""

    text = journey_service.export_journey(ctx, _id(ctx, journey), version=version, actor=who.email)
    return Response(text, media_type="application/json")


@router.get("/{journey}/diff", summary="What changed between two versions")
def diff_versions(
    ctx: Ctx,
    journey: JourneyRef,
    _who: Reader,
    from_: Annotated[str, Query(alias="from", pattern=r"^(draft|live|[0-9]{1,9})$", examples=["1"])],
    to: Which = "draft",
    layout: bool = False,
) -> Any:
    """Nodes added, removed and changed field by field, edges added and removed (as `journey diff`)."""
    return journey_apply.compare(ctx, _id(ctx, journey), from_, to, layout=layout)
