"""The tracking calls' own lane: straight to a small FastAPI app, past the UI framework's middleware stack.

Sessions, gzip, page request tracking and page access checks do nothing for ``/api/v1/{identify,track,
alias,batch}`` (they authenticate with write keys in their own dependency and answer small JSON), yet they
cost a third of the server's CPU per batch. The shops' webhook receivers (``/integrations/*/webhooks``, signed
bodies) take the lane too. The lane serves exactly those routers' routes; everything else, including those
routes' OpenAPI description, stays on the main app.
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

_MARK = "_parcours_fast_lane"


class FastLane:
    def __init__(self, app: ASGIApp, lane: ASGIApp, paths: frozenset[str]) -> None:
        self.app, self.lane, self.paths = app, lane, paths

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http" and scope["path"] in self.paths:
            await self.lane(scope, receive, send)
        else:
            await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Put the lane in front of ``app``'s middleware stack (idempotent)."""
    from app.api import integrations, tracking

    if getattr(app, _MARK, False):
        return
    lane = FastAPI(openapi_url=None, docs_url=None, redoc_url=None)
    routers = (tracking.router, integrations.router)
    for router in routers:
        lane.include_router(router)
    paths = frozenset(route.path for router in routers for route in router.routes if hasattr(route, "path"))
    build = app.build_middleware_stack

    def build_with_lane() -> Any:
        return FastLane(build(), lane, paths)

    app.build_middleware_stack = build_with_lane  # type: ignore[method-assign]
    app.middleware_stack = None  # rebuilt on the next request
    setattr(app, _MARK, True)
