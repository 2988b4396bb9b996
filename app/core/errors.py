"""What a user sees when the server fails: a generic page (or JSON for the API) with an error id.

The exception and its traceback go to the log only, under the same id, so an administrator can find
them from what the user reports, and nobody learns about the code or the data from an error page.
"""

from __future__ import annotations

import logging
import secrets

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response

from journeys.errors import ParcoursError

log = logging.getLogger("parcours.errors")


def new_error_id() -> str:
    return secrets.token_hex(6)


async def server_error(request: Request, exception: Exception) -> Response:
    error_id = new_error_id()
    log.error("error %s on %s %s", error_id, request.method, request.url.path, exc_info=exception)
    if request.scope.get("nicegui_page_path"):
        return _error_page(request, error_id)
    return JSONResponse({"detail": "internal server error", "error_id": error_id}, status_code=500)


def _error_page(request: Request, error_id: str) -> Response:
    from nicegui import Client, ui
    from nicegui.page import page

    from app.i18n import pick_language, t

    lang = pick_language(None, request.headers.get("accept-language"))
    with Client(page(""), request=request) as client, ui.column().classes("w-full items-center p-16 gap-4"):
        ui.label(t("error.title", lang)).classes("text-2xl font-semibold")
        ui.label(t("error.body", lang)).classes("text-gray-600")
        ui.label(t("error.id", lang, error_id=error_id)).classes("font-mono text-sm")
        ui.link(t("error.home", lang), "/")
    return client.build_response(request, 500)


async def refusal(request: Request, exception: Exception) -> Response:
    """A refusal (journeys/errors.py) that a route did not answer itself: its status and message, never a 500.
    Pages keep the generic error page: their refusals are shown where they happen."""
    if request.scope.get("nicegui_page_path") or not isinstance(exception, ParcoursError):
        return await server_error(request, exception)
    log.info("refused %s %s: %s", request.method, request.url.path, type(exception).__name__)
    return JSONResponse({"detail": str(exception)[:1000]}, status_code=exception.status)


def install(app: FastAPI) -> None:
    """Replace the framework's 500 handler, which shows the exception's class and message on the page, and
    answer refusals that escape a route with their own status."""
    app.exception_handlers[Exception] = server_error
    app.exception_handlers[ParcoursError] = refusal
    app.middleware_stack = None  # handlers are read when the stack is built
