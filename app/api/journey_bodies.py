"""Request bodies, examples and error answers shared by the management API's journey routes (no routes here)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse

from app.authoring.apply import violation_dicts
from app.authoring.service import InvalidJourney, KeyTaken, NotFound, StaleRevision, StatusError
from journeys.document import MAX_DOCUMENT_BYTES, DocumentError

EXAMPLE_DOCUMENT: dict[str, Any] = {
    "schema_version": 1,
    "key": "welcome-series",
    "name": "Welcome series",
    "nodes": [
        {"id": "entry", "type": "entry.event", "name": "Signed up", "config": {"event": "signed_up"}},
        {"id": "push", "type": "message.push", "name": "Welcome", "config": {"body": "Welcome aboard!"}},
        {"id": "done", "type": "exit", "name": "Done", "config": {}},
    ],
    "edges": [
        {"source": "entry", "target": "push", "port": "next"},
        {"source": "push", "target": "done", "port": "next"},
    ],
}

DOCUMENT_BODY: dict[str, Any] = {
    "requestBody": {
        "required": True,
        "content": {
            "application/json": {
                "schema": {
                    "type": "object",
                    "description": "A journey document (`python main.py journey schema` prints its JSON Schema)",
                },
                "examples": {"welcome": {"summary": "A three-step journey", "value": EXAMPLE_DOCUMENT}},
            }
        },
    }
}

ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"description": "The body is not a readable journey document; `detail` names the field"},
    401: {"description": "Not signed in and no valid API token"},
    403: {"description": "The caller's role is too low"},
    404: {"description": "No journey with that id or key"},
    413: {"description": f"Body over {MAX_DOCUMENT_BYTES} bytes"},
    422: {"description": "The graph breaks the rules: `violations` lists each with its node"},
}


async def document_body(request: Request) -> bytes:
    """The raw body, refused with 413 past the import limit before it is all read (parsed by the service)."""
    length = request.headers.get("content-length", "")
    if length.isdigit() and int(length) > MAX_DOCUMENT_BYTES:
        raise HTTPException(413, detail=f"body: over the {MAX_DOCUMENT_BYTES:,}-byte limit")
    body = bytearray()
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_DOCUMENT_BYTES:
            raise HTTPException(413, detail=f"body: over the {MAX_DOCUMENT_BYTES:,}-byte limit")
    if not body.strip():
        raise HTTPException(400, detail="body: a journey document (JSON object) is required")
    return bytes(body)


def answer(action: Callable[[], Any]) -> Any:
    """Run a journey use case and turn each refusal into a 4xx whose ``detail`` names the field."""
    try:
        return action()
    except DocumentError as exc:
        where = exc.location if exc.location and not exc.location.startswith("line ") else f"body: {exc.location}"
        return JSONResponse({"detail": f"{where.rstrip(': ')}: {exc.reason}"}, status_code=400)
    except InvalidJourney as exc:
        first = exc.violations[0]
        where = f"node {first.node_id}" if first.node_id else f"edge {first.edge_id}" if first.edge_id else "journey"
        body = {"detail": f"{where}: {first.message} ({len(exc.violations)} problem(s))"}
        return JSONResponse({**body, "violations": violation_dicts(exc.violations)}, status_code=422)
    except NotFound as exc:
        return JSONResponse({"detail": f"journey: {exc}"}, status_code=404)
    except StaleRevision as exc:
        detail = f"expected_revision: the draft is now at revision {exc.current}; read it again and retry"
        return JSONResponse({"detail": detail, "current_revision": exc.current}, status_code=409)
    except StatusError as exc:
        return JSONResponse({"detail": f"status: {exc}"}, status_code=409)
    except KeyTaken as exc:
        return JSONResponse({"detail": f"key: {exc}"}, status_code=409)
