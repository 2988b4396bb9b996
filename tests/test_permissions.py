"""The permission table, generated from the routes the app registers, so that no page or API route is forgotten.

Each NiceGUI page and each /api/v1 route must declare the least role it needs (``requires(...)`` on pages,
``Depends(api_access(...))`` or ``Depends(public_api)`` on API routes). The table below is derived from those
declarations and then checked against real requests for anonymous, viewer, marketer and admin callers.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pytest
from fastapi import APIRouter, Depends
from nicegui import app as nicegui_app
from nicegui import ui
from nicegui.client import Client
from nicegui.testing import User
from starlette.routing import Mount

from app import access, auth
from app.access import ADMIN, MARKETER, PUBLIC, VIEWER, Principal, api_access, public_api
from app.context import current
from tests.auth_helpers import create_account, login

# Areas only admins may reach: accounts, workspace settings, providers and API keys.
ADMIN_AREAS = (
    "/admin",
    "/settings",
    "/api/v1/admin",
    "/api/v1/settings",
    "/api/v1/users",
    "/api/v1/api-keys",
    "/api/v1/providers",
)
CALLERS = ("anonymous", VIEWER, MARKETER, ADMIN)
# Requested last: it ends the caller's session.
ENDS_SESSION = {"/logout"}


@dataclass(frozen=True)
class Row:
    kind: str  # "page" or "api"
    method: str
    path: str
    access: str | None


def _page_paths() -> set[str]:
    return set(Client.page_routes.values())


def permission_table() -> list[Row]:
    """Every page, API route and other HTTP route with the access it declares (None when it declares nothing).

    Only NiceGUI's own assets and websocket (``PUBLIC_PREFIXES``) and static mounts are left out.
    """
    pages = _page_paths()
    rows = []
    for route in access.routes():
        path = getattr(route, "path", None)
        if path is None or path.startswith(access.PUBLIC_PREFIXES) or isinstance(route.original_route, Mount):
            continue
        kind = "page" if path in pages else "api" if path.startswith("/api/") else "route"
        declared = access.declared_access(route)
        if declared is None and (path in access.PUBLIC_PATHS or path.startswith(access.PUBLIC_PREFIXES)):
            declared = PUBLIC
        for method in sorted(route.methods or {"GET"}):
            if method != "HEAD":
                rows.append(Row(kind, method, path, declared))
    return sorted(rows, key=lambda r: (r.path in ENDS_SESSION, r.path, r.method))


def problems(rows: list[Row]) -> list[str]:
    found = []
    for row in rows:
        where = f"{row.method} {row.path}"
        if row.access is None:
            found.append(f"{where}: declares no role (use requires(...), api_access(...) or public)")
        elif row.path.startswith(ADMIN_AREAS) and row.access != ADMIN:
            found.append(f"{where}: an admin area must require admin, not {row.access}")
        elif row.kind != "page" and row.method != "GET" and row.access == VIEWER:
            found.append(f"{where}: viewers are read-only; a write route needs marketer or admin")
    return found


def allowed(caller: str, required: str) -> bool:
    return required == PUBLIC or (caller != "anonymous" and auth.allows(caller, required))


def concrete(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "1", path)


async def test_every_page_and_api_route_declares_a_role(user: User) -> None:
    rows = permission_table()
    assert {r.path for r in rows} >= {"/", "/login", "/setup", "/admin/users", "/admin/audit", "/api/v1/health"}
    assert problems(rows) == []


async def test_a_page_that_declares_nothing_is_reported_and_fails_closed(user: User) -> None:
    ui.page("/forgotten")(lambda: ui.label("forgotten page"))
    assert problems(permission_table()) == [
        "GET /forgotten: declares no role (use requires(...), api_access(...) or public)"
    ]
    await login(user, MARKETER)
    response = await user.http_client.get("/forgotten", follow_redirects=False)
    assert (response.status_code, response.headers["location"]) == (303, "/denied")


async def test_an_admin_area_declared_for_marketers_is_reported(user: User) -> None:
    before = set(problems(permission_table()))
    ui.page("/settings/providers")(access.requires(MARKETER)(lambda: ui.label("keys")))
    assert set(problems(permission_table())) - before == {
        "GET /settings/providers: an admin area must require admin, not marketer"
    }


@pytest.mark.parametrize("caller", CALLERS)
async def test_generated_permission_table_holds_for(user: User, caller: str) -> None:
    create_account(current(), ADMIN, "owner@example.com")
    if caller != "anonymous":
        await login(user, caller)
    checked = 0
    for row in permission_table():
        assert row.access is not None, f"{row.method} {row.path} declares no role"
        response = await user.http_client.request(row.method, concrete(row.path), follow_redirects=False)
        location = response.headers.get("location", "")
        refused = response.headers.get(access.REFUSED_HEADER)
        where = f"{caller}: {row.method} {row.path} -> {response.status_code} {location}"
        if allowed(caller, row.access):
            assert refused is None, where
            if response.status_code in (401, 403):  # only a public route's own check (key, signature) may say no
                assert row.access == PUBLIC, where
        elif caller == "anonymous":
            assert refused == "login", where
            assert (response.status_code, location[:6]) in {(401, ""), (303, "/login")}, where
        else:
            assert refused == "role", where
            assert (response.status_code, location) in {(403, ""), (303, "/denied")}, where
        checked += 1
    assert checked >= 7


# --- the API dependency -----------------------------------------------------------------------------------


def _probe_router() -> APIRouter:
    router = APIRouter(prefix="/api/v1/probe")

    @router.get("/read")
    def read(principal: Principal = Depends(api_access(VIEWER))) -> dict[str, str]:
        return {"who": principal.email}

    @router.post("/write")
    def write(principal: Principal = Depends(api_access(MARKETER))) -> dict[str, str]:
        return {"who": principal.email}

    @router.post("/open", dependencies=[Depends(public_api)])
    def open_route() -> dict[str, str]:
        return {"ok": "yes"}

    return router


async def test_api_routes_check_the_session_role(user: User) -> None:
    nicegui_app.include_router(_probe_router())
    client = user.http_client
    create_account(current(), ADMIN, "owner@example.com")
    assert (await client.get("/api/v1/probe/read")).status_code == 401
    assert (await client.post("/api/v1/probe/open")).json() == {"ok": "yes"}
    await login(user, VIEWER)
    assert (await client.get("/api/v1/probe/read")).json() == {"who": "viewer@example.com"}
    refused = await client.post("/api/v1/probe/write")
    assert (refused.status_code, refused.json()["detail"]) == (403, "this needs the marketer role")


async def test_api_routes_accept_a_registered_bearer_token(user: User) -> None:
    nicegui_app.include_router(_probe_router())
    create_account(current(), ADMIN, "owner@example.com")

    def verify(_ctx, token: str) -> Principal | None:
        return Principal(0, "api:ci", "CI key", MARKETER) if token == "good-token" else None

    access.register_token_verifier(verify)
    try:
        good = await user.http_client.post("/api/v1/probe/write", headers={"Authorization": "Bearer good-token"})
        bad = await user.http_client.post("/api/v1/probe/write", headers={"Authorization": "Bearer forged"})
    finally:
        access.TOKEN_VERIFIERS.remove(verify)
    assert good.json() == {"who": "api:ci"}
    assert bad.status_code == 401
