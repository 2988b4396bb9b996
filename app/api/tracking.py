"""Tracking API with Segment's spec: identify, track, page, screen, group, alias and batch.

Served where Segment's libraries post (``/v1/batch``, ``/v1/track``..., and the browser library's short forms
``/v1/t``, ``/v1/b``...) and under ``/api/v1``. The write key travels as HTTP Basic username, a Bearer token or
``writeKey`` in the body. Bodies may be gzip-compressed and sent as ``text/plain`` (browsers); 4 MiB at most
once decompressed (413). Partial acceptance: a batch stores every acceptable message and answers 200 with
``warnings`` (fields dropped or corrected) and ``refused`` (messages not stored), each naming its index and
field; a single call whose message is refused gets 400. Errors carry ``code``, ``message`` and ``detail``.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from typing import Any

from fastapi import APIRouter, Depends, HTTPException, Request, Response
from fastapi.responses import JSONResponse
from starlette.concurrency import run_in_threadpool

from app.access.policy import public_api
from app.api.auth import require_write_key, tracking_key_route
from app.api.tracking_http import CORS, BodyError, error, parse, preflight, problems_response, read_body
from app.core.context import current
from app.core.gc_pause import paused_gc
from app.tracking import debug as tracking_debug
from app.tracking import intake as tracking_intake
from app.tracking import service as tracking_service
from app.tracking.payloads import MAX_BODY_BYTES, Accepted, Alias, Group, Identify, Page, Problems, Screen, Track

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": Problems, "description": "Unusable body, or (single calls) the message was refused"},
    401: {"model": Problems, "description": "Missing, unknown or revoked write key"},
    413: {"model": Problems, "description": f"Body over {MAX_BODY_BYTES} bytes once decompressed"},
}
CALLS: dict[str, tuple[str, type | None]] = {
    "identify": ("i", Identify),
    "track": ("t", Track),
    "page": ("p", Page),
    "screen": ("s", Screen),
    "group": ("g", Group),
    "alias": ("a", Alias),
    "batch": ("b", None),
}
DOCS = {
    "identify": "Create or update a contact from traits (email, phone, timezone and locale are recognised); "
    "``context.traits`` counts too.",
    "track": "Record an event. A repeated ``messageId`` is stored once.",
    "page": "Record a web page view as the event ``Page Viewed`` (``name`` and ``category`` join its properties).",
    "screen": "Record a mobile screen view as the event ``Screen Viewed`` (``name`` joins its properties).",
    "group": "Attach the person to an account: ``group_id`` and the account's traits (as ``group``) on the contact.",
    "alias": "Merge the profile of ``previousId`` into ``userId``; its events move to the surviving contact.",
    "batch": "Any number of identify/track/page/screen/group/alias messages (4 MiB at most). Every acceptable "
    "message is stored; the answer lists per message index the fields dropped (``warnings``) and the messages "
    "refused (``refused``), with the field and the reason.",
}

router = APIRouter(tags=["tracking"], dependencies=[Depends(public_api)])


def _store(request: Request, body: Any, kind: str | None, vouched: bool) -> Response:
    """Authenticate, read and store (in a worker thread: it queries and writes the database)."""
    try:
        key = require_write_key(request, body.get("writeKey") if isinstance(body, dict) else None)
    except HTTPException as exc:
        return error(exc.status_code, str(exc.detail), headers=exc.headers)
    ctx = current()
    now = ctx.clock.now()
    try:
        intake, context = tracking_intake.read(body, kind=kind, now=now, vouched=vouched)
    except ValueError as exc:
        tracking_debug.note_error(ctx, now, key, request.scope["path"], 400, str(exc))
        return error(400, str(exc))
    batch, received = kind is None, len(body["batch"]) if kind is None else 1
    problems, response, events = intake.refused, None, 0
    if intake.messages:
        try:
            with paused_gc():  # one bounded request; see app/core/gc_pause.py
                accepted = tracking_service.ingest(ctx, batch_context=context, intake=intake)
            events, response = accepted.stored, JSONResponse(accepted.model_dump(), headers=CORS)
        except tracking_service.IngestError as exc:
            problems = exc.problems
    if response is None:
        response, kept = _refused(problems, batch), 0
    else:  # refusals name message indexes (a batch-wide problem would have raised IngestError)
        kept = received - len({p["index"] for p in problems}) if problems else received
    tracking_debug.record(
        ctx, now, key, request.scope["path"], response.status_code, received, intake.messages, kept, events,
        intake.warnings, problems,
    )  # fmt: skip
    return response


def _unreadable(request: Request, exc: BodyError) -> Response:
    """An unreadable body, so no writeKey in it: a caller without a valid header key learns only that."""
    try:
        key = require_write_key(request)
    except HTTPException as refused:
        return error(refused.status_code, str(refused.detail), headers=refused.headers)
    ctx = current()
    tracking_debug.note_error(ctx, ctx.clock.now(), key, request.scope["path"], exc.status, exc.message)
    return error(exc.status, exc.message)


def _refused(problems: list[dict[str, Any]], batch: bool) -> Response:
    """Nothing stored: 400 for a single call or an unusable batch context, 200 listing refusals for a batch."""
    if batch and all(p["index"] is not None for p in problems):
        answer = Accepted(stored=0, duplicates=0, contacts=0, refused=problems)
        return JSONResponse(answer.model_dump(), headers=CORS)
    return problems_response(problems, "nothing stored", batch=batch)


def _endpoint(kind: str | None) -> Callable[[Request], Coroutine[Any, Any, Response]]:
    async def endpoint(request: Request) -> Response:
        try:
            body, vouched = parse(await read_body(request))
        except BodyError as exc:
            return await run_in_threadpool(_unreadable, request, exc)
        return await run_in_threadpool(_store, request, body, kind, vouched)

    return endpoint


def _schema(model: type | None) -> dict[str, Any]:
    if model is not None:
        return model.model_json_schema()  # type: ignore[attr-defined]
    messages = [m.model_json_schema() for _, m in CALLS.values() if m is not None]
    return {
        "type": "object",
        "required": ["batch"],
        "properties": {
            "batch": {"type": "array", "items": {"oneOf": messages}},
            "context": {"type": "object"},
            "sentAt": {"type": "string", "format": "date-time"},
            "writeKey": {"type": "string"},
        },
    }


def _register() -> None:
    for name, (short, model) in CALLS.items():
        kind = None if name == "batch" else name
        extra = {"requestBody": {"required": True, "content": {"application/json": {"schema": _schema(model)}}}}
        for path, listed in ((f"/api/v1/{name}", True), (f"/v1/{name}", True), (f"/v1/{short}", False)):
            router.add_api_route(
                path,
                _endpoint(kind),
                methods=["POST"],
                dependencies=[Depends(tracking_key_route)],  # preflights below stay open: they carry no key
                response_model=Accepted,
                responses=ERRORS,
                include_in_schema=listed,
                openapi_extra=extra,
                name=f"{name}_{path.replace('/', '_')}",
                description=DOCS[name],
                summary=name.capitalize(),
            )
            router.add_api_route(path, preflight, methods=["OPTIONS"], include_in_schema=False)


_register()
