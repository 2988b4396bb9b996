"""OpenAPI documents of the REST API: /openapi.json and Swagger UI at /docs.

NiceGUI builds its FastAPI app with the docs switched off, so they are served here from the app's
own routes (only those included in the schema, which NiceGUI's pages are not).
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import HTMLResponse, JSONResponse

from app.access.policy import public_api

# They only describe the API, so anyone may read them.
router = APIRouter(include_in_schema=False, dependencies=[Depends(public_api)])

DESCRIPTION = (
    "Parcours REST API. Tracking follows Segment's spec (identify, track, alias, batch). Authenticate with an "
    "API key (`python main.py apikey create NAME`) as HTTP Basic username with an empty password, or as "
    "`Authorization: Bearer <key>`."
)


def _schema(request: Request) -> dict[str, Any]:
    app = request.app
    if not getattr(app.state, "parcours_openapi", None):
        app.state.parcours_openapi = get_openapi(
            title="Parcours API", version="1", description=DESCRIPTION, routes=app.routes
        )
    return app.state.parcours_openapi


@router.get("/openapi.json")
def openapi(request: Request) -> JSONResponse:
    return JSONResponse(_schema(request))


@router.get("/docs")
def docs() -> HTMLResponse:
    return get_swagger_ui_html(openapi_url="/openapi.json", title="Parcours API")
