"""Request bodies, examples and error answers shared by the management API's journey routes (no routes here)."""

from __future__ import annotations

from typing import Any

from fastapi import HTTPException, Request

from journeys.document import MAX_DOCUMENT_BYTES

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
