"""Tracking API with Segment's spec: identify, track, page, screen, group, alias and batch under /api/v1.

Authentication: the write key as HTTP Basic username (what Segment's libraries send) or a Bearer token.
Bodies over 4 MiB get 413. Any invalid message gets 400 with ``errors`` naming the message index and the
field; a batch is all-or-nothing, so nothing of a refused batch is stored.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from fastapi.routing import APIRoute

from app import tracking_service
from app.access import public_api
from app.api.auth import require_api_key
from app.context import current
from app.gc_pause import paused_gc
from app.tracking_payloads import (
    MAX_BATCH,
    MAX_BODY_BYTES,
    MESSAGE_TYPES,
    Accepted,
    Alias,
    Batch,
    Group,
    Identify,
    Page,
    Problems,
    Screen,
    Track,
)
from journeys.codec import printable


def _field_of(loc: tuple[Any, ...]) -> tuple[int | None, str]:
    parts = [p for p in loc if p != "body"]
    index = None
    if len(parts) >= 2 and parts[0] == "batch" and isinstance(parts[1], int):
        index = parts[1]
        parts = parts[2:]
        if parts and parts[0] in MESSAGE_TYPES:
            parts = parts[1:]  # the discriminated union's tag
    return index, ".".join(str(p) for p in parts) or "body"


def problems_response(problems: list[dict[str, Any]], detail: str, *, batch: bool = False) -> JSONResponse:
    """400 with ``errors`` and a ``detail`` naming the first problem, e.g. ``batch[3].properties.price: ...``.

    Texts are made printable first: a message can quote input (a lone surrogate cannot be encoded).
    """
    clean = [
        {**p, "field": printable(str(p["field"]), 200), "message": printable(str(p["message"]), 300)} for p in problems
    ]
    if clean:
        first = clean[0]
        where = f"batch[{first['index']}].{first['field']}" if batch and first["index"] is not None else first["field"]
        more = f" (and {len(clean) - 1} more)" if len(clean) > 1 else ""
        detail = f"{where}: {first['message']}{more}; {detail}"
    return JSONResponse(status_code=400, content={"detail": detail, "errors": clean})


class TrackingRoute(APIRoute):
    """Refuses large bodies before parsing them and turns validation errors into 400s naming fields."""

    def get_route_handler(self) -> Callable[[Request], Coroutine[Any, Any, Response]]:
        handler = super().get_route_handler()

        async def limited(request: Request) -> Response:
            length = request.headers.get("content-length")
            if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
                return JSONResponse(status_code=413, content={"detail": f"body over {MAX_BODY_BYTES} bytes"})
            body = bytearray()
            async for chunk in request.stream():
                body += chunk
                if len(body) > MAX_BODY_BYTES:
                    return JSONResponse(status_code=413, content={"detail": f"body over {MAX_BODY_BYTES} bytes"})
            request._body = bytes(body)
            try:
                with paused_gc():  # one bounded request; see app/gc_pause.py
                    return await handler(request)
            except RequestValidationError as exc:
                problems = []
                for error in exc.errors():
                    index, field = _field_of(tuple(error.get("loc", ())))
                    problems.append({"index": index, "field": field, "message": error.get("msg", "invalid")})
                return problems_response(problems, "invalid request", batch=request.url.path.endswith("/batch"))

        return limited


ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problems, "description": "Invalid message(s); nothing stored"},
    401: {"description": "Missing, unknown or revoked API key"},
    413: {"description": f"Body over {MAX_BODY_BYTES} bytes"},
}
router = APIRouter(
    prefix="/api/v1",
    tags=["tracking"],
    route_class=TrackingRoute,
    dependencies=[Depends(public_api), Depends(require_api_key)],
    responses=ERRORS,
)


def _ingest(messages: list[Any], context: dict[str, Any] | None = None, *, batch: bool = False) -> Any:
    try:
        return tracking_service.ingest(current(), messages, batch_context=context)
    except tracking_service.IngestError as exc:
        return problems_response(exc.problems, "nothing stored", batch=batch)


@router.post("/identify", response_model=Accepted)
def identify(message: Identify) -> Any:
    """Create or update a contact from traits (email, phone, timezone and locale are recognised)."""
    return _ingest([message])


@router.post("/track", response_model=Accepted)
def track(message: Track) -> Any:
    """Record an event. A repeated ``messageId`` is stored once."""
    return _ingest([message])


@router.post("/alias", response_model=Accepted)
def alias(message: Alias) -> Any:
    """Merge the profile of ``previousId`` into ``userId``; its events move to the surviving contact."""
    return _ingest([message])


@router.post("/page", response_model=Accepted)
def page(message: Page) -> Any:
    """Record a web page view as the event ``Page Viewed`` (``name`` and ``category`` join its properties)."""
    return _ingest([message])


@router.post("/screen", response_model=Accepted)
def screen(message: Screen) -> Any:
    """Record a mobile screen view as the event ``Screen Viewed`` (``name`` joins its properties)."""
    return _ingest([message])


@router.post("/group", response_model=Accepted)
def group(message: Group) -> Any:
    """Attach the person to an account: ``group_id`` and the account's traits (as ``group``) on the contact."""
    return _ingest([message])


@router.post("/batch", response_model=Accepted)
def batch(payload: Batch) -> Any:
    return _ingest(list(payload.batch), payload.context, batch=True)


batch.__doc__ = (
    f"Up to {MAX_BATCH} identify/track/page/screen/group/alias messages. All-or-nothing: one invalid message "
    "refuses the whole batch with 400 listing each bad message's index and field, and nothing is stored."
)
