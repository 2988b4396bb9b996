"""Browser-facing hardening of the web process: security headers, cookie and socket.io origin policy.

The headers are added by a plain ASGI wrapper put outside every other layer (the tracking fast lane
included), so pages, the API, static files and error responses all carry them. The header list is built
once; per response the cost is one list concatenation.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from fastapi import FastAPI
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from app.core.settings import Settings

# Measured with every page open in Chromium (tests/test_xss_browser.py checks the console for violations):
# NiceGUI 3.18 ships the page state in inline scripts and Vue compiles component templates at run time
# (new Function), hence 'unsafe-inline' and 'unsafe-eval' for scripts; Quasar and Plotly set inline styles.
# Images may be https (the email preview shows the marketer's images inside a sandboxed frame).
CONTENT_SECURITY_POLICY = "; ".join(
    (
        "default-src 'self'",
        "script-src 'self' 'unsafe-inline' 'unsafe-eval'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data: blob: https:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "frame-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
    )
)
HEADERS: list[tuple[bytes, bytes]] = [
    (b"content-security-policy", CONTENT_SECURITY_POLICY.encode()),
    (b"x-frame-options", b"DENY"),
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"strict-origin-when-cross-origin"),
]
_MARK = "_parcours_security_headers"


class SecurityHeaders:
    """Adds the security headers to every HTTP response that does not set them itself."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", ())}
                extra = [h for h in HEADERS if h[0] not in present]
                message["headers"] = [*message.get("headers", ()), *extra]
            await send(message)

        await self.app(scope, receive, send_with_headers)


def install_headers(app: FastAPI) -> None:
    """Wrap the whole middleware stack, outermost, so no lane skips the headers (idempotent)."""
    if getattr(app, _MARK, False):
        return
    build = app.build_middleware_stack

    def build_with_headers() -> Any:
        return SecurityHeaders(build())

    app.build_middleware_stack = build_with_headers  # type: ignore[method-assign]
    app.middleware_stack = None  # rebuilt on the next request
    setattr(app, _MARK, True)


def public_origin(settings: Settings) -> str | None:
    """scheme://host[:port] of PARCOURS_PUBLIC_URL, or None when it is not set."""
    if not settings.public_url:
        return None
    parts = urlsplit(settings.public_url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def restrict_socket_origin(settings: Settings) -> None:
    """socket.io (NiceGUI's live connection) accepts only the public origin, or only the same origin.

    NiceGUI creates its server with ``cors_allowed_origins='*'``: any site a signed-in user visits could
    open the user's session socket. ``None`` makes engine.io compare Origin with the request's own host.
    """
    from nicegui import core

    origin = public_origin(settings)
    core.sio.eio.cors_allowed_origins = [origin] if origin else None


def session_cookie_options(settings: Settings) -> dict[str, Any]:
    """Options of the session cookie (Starlette's SessionMiddleware, set up by NiceGUI's storage)."""
    return {"https_only": settings.secure_cookies_enabled(), "same_site": "lax"}
