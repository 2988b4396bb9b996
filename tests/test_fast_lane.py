"""The tracking calls' lane: only the tracking router's paths skip the main app's middleware stack."""

from __future__ import annotations

import asyncio

import httpx
import orjson
from fastapi import FastAPI

from app.access.policy import REFUSED_HEADER
from app.api import fast_lane
from app.api.fast_lane import FastLane
from app.api.tracking import router
from tests.conftest import run_cli

TEXT = {"Content-Type": "text/plain"}  # what browsers send to avoid a preflight

CALLS = ("identify", "track", "page", "screen", "group", "alias", "batch")
TRACKING_PATHS = {f"/api/v1/{call}" for call in CALLS} | {f"/v1/{call}" for call in CALLS}
TRACKING_PATHS |= {f"/v1/{call[0]}" for call in CALLS}  # the browser library's short forms


def test_the_lane_takes_exactly_the_tracking_paths() -> None:
    calls: list[tuple[str, str]] = []

    def app(name: str):
        async def asgi(scope, receive, send) -> None:
            calls.append((name, scope["path"]))

        return asgi

    lane = FastLane(app("main"), app("lane"), frozenset(TRACKING_PATHS))
    for scope in (
        {"type": "http", "path": "/api/v1/batch"},
        {"type": "http", "path": "/api/v1/track/open/x.gif"},
        {"type": "http", "path": "/journeys"},
        {"type": "websocket", "path": "/api/v1/track"},
    ):
        asyncio.run(lane(scope, None, None))
    assert calls == [
        ("lane", "/api/v1/batch"),
        ("main", "/api/v1/track/open/x.gif"),
        ("main", "/journeys"),
        ("main", "/api/v1/track"),
    ]
    assert {route.path for route in router.routes} == TRACKING_PATHS


def test_install_is_idempotent() -> None:
    main = FastAPI()
    fast_lane.install(main)
    first = main.build_middleware_stack
    fast_lane.install(main)
    assert main.build_middleware_stack is first
    stack = main.build_middleware_stack()
    assert isinstance(stack, FastLane) and not isinstance(stack.app, FastLane)


def test_the_real_server_serves_tracking_and_still_guards_the_rest(server, settings) -> None:
    key = run_cli("apikey", "create", "lane").stdout.strip()
    with httpx.Client(base_url=server.base_url, timeout=30) as client:
        track = {"type": "track", "userId": "u1", "event": "Opened", "messageId": "lane-1"}
        response = client.post("/api/v1/track", json=track, auth=(key, ""))
        assert response.status_code == 200 and response.json()["stored"] == 1
        assert client.post("/api/v1/track", json=track).status_code == 401  # no key
        again = client.post("/v1/t", content=orjson.dumps({**track, "writeKey": key}), headers=TEXT)
        assert again.status_code == 200 and again.json()["duplicates"] == 1  # Segment's path, key in the body
        assert again.headers["access-control-allow-origin"] == "*"
        refused = client.get("/api/v1/outbox")  # a management route: the access middleware still answers
        assert refused.status_code == 401 and REFUSED_HEADER in refused.headers
