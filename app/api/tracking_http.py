"""HTTP details of the tracking API: bounded (and gzip-aware) body reading, error bodies, CORS for browsers.

Error bodies carry ``code`` and ``message`` (what Segment's and RudderStack's libraries read) and ``detail``
(what FastAPI clients read). The size limit applies to the body after decompression, and a compressed body
is inflated incrementally with a bound, so a small zip bomb is refused with 413 without being expanded.
"""

from __future__ import annotations

import zlib
from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse, Response

from app.tracking.payloads import MAX_BODY_BYTES
from journeys import codec

CODES = {
    400: "invalid_request",
    401: "unauthorized",
    403: "forbidden",
    413: "payload_too_large",
    415: "unsupported_encoding",
    429: "rate_limited",
}
# Segment answers write-key endpoints to any origin, without credentials: the key is in the request itself.
CORS = {"Access-Control-Allow-Origin": "*"}
PREFLIGHT = {
    **CORS,
    "Access-Control-Allow-Methods": "POST, OPTIONS",
    "Access-Control-Allow-Headers": "Authorization, Content-Type, Content-Encoding",
    "Access-Control-Max-Age": "86400",
}
TOO_LARGE = f"body over {MAX_BODY_BYTES} bytes (after decompression)"


class BodyError(Exception):
    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status, self.message = status, message


def error(status: int, message: str, *, errors: list[dict[str, Any]] | None = None, headers: Any = None) -> Response:
    content: dict[str, Any] = {"code": CODES.get(status, "error"), "message": message, "detail": message}
    if errors is not None:
        content["errors"] = errors
    return JSONResponse(content, status_code=status, headers={**(headers or {}), **CORS})


def problems_response(problems: list[dict[str, Any]], detail: str, *, batch: bool = False) -> Response:
    """400 with ``errors`` and a message naming the first problem, e.g. ``batch[3].properties.price: ...``.

    Texts are made printable first: a message can quote input (a lone surrogate cannot be encoded).
    """
    clean = [
        {**p, "field": codec.printable(str(p["field"]), 200), "message": codec.printable(str(p["message"]), 300)}
        for p in problems
    ]
    if clean:
        first = clean[0]
        where = f"batch[{first['index']}].{first['field']}" if batch and first["index"] is not None else first["field"]
        more = f" (and {len(clean) - 1} more)" if len(clean) > 1 else ""
        detail = f"{where}: {first['message']}{more}; {detail}"
    return error(400, detail, errors=clean)


def preflight() -> Response:
    """The answer to a browser's CORS preflight."""
    return Response(status_code=204, headers=PREFLIGHT)


def _inflater(request: Request) -> Any:
    encoding = request.headers.get("content-encoding", "").strip().lower()
    if encoding in ("", "identity"):
        return None
    if encoding == "gzip":
        return zlib.decompressobj(16 + zlib.MAX_WBITS)
    if encoding == "deflate":
        return zlib.decompressobj()
    raise BodyError(415, f"Content-Encoding {codec.printable(encoding, 40)!r} is not supported (use gzip)")


def _inflate(inflater: Any, data: bytes, body: bytearray) -> None:
    """Append what ``data`` inflates to, never more than one byte past the limit."""
    try:
        while data and not inflater.eof:
            body += inflater.decompress(data, MAX_BODY_BYTES - len(body) + 1)
            if len(body) > MAX_BODY_BYTES:
                raise BodyError(413, TOO_LARGE)
            data = inflater.unconsumed_tail
    except zlib.error:
        raise BodyError(400, "body: not valid gzip data") from None


async def read_body(request: Request) -> bytes:
    """The request body, decompressed, at most MAX_BODY_BYTES (BodyError otherwise)."""
    length = request.headers.get("content-length")
    if length and length.isdigit() and int(length) > MAX_BODY_BYTES:
        raise BodyError(413, TOO_LARGE)
    inflater = _inflater(request)
    body = bytearray()
    received = 0
    async for chunk in request.stream():
        received += len(chunk)
        if received > MAX_BODY_BYTES:
            raise BodyError(413, TOO_LARGE)
        if inflater is None:
            body += chunk
        else:
            _inflate(inflater, chunk, body)
    if inflater is not None and not inflater.eof:
        raise BodyError(400, "body: the compressed data is truncated")
    return bytes(body)


def parse(body: bytes) -> tuple[Any, bool]:
    """JSON from the body, whatever its Content-Type (browsers send text/plain to avoid a preflight), and
    whether the codec vouches for all of it (see ``codec.parse_checked``)."""
    try:
        return codec.parse_checked(body)
    except (ValueError, RecursionError):
        raise BodyError(400, "body: not valid JSON") from None
