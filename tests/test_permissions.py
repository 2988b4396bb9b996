"""The permission table, generated from the routes the app registers, so that no page or API route is forgotten.

Each NiceGUI page and each /api/v1 route must declare the least role it needs (``requires(...)`` on pages,
``Depends(api_access(...))`` or ``Depends(public_api)`` on API routes). The table below is derived from those
declarations and then checked against real requests for anonymous, viewer, marketer and admin callers, and, for
every /api/v1 route, for a tracking key, a viewer token and a marketer token (``api_key_table``).
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

from app.access import auth
from app.access import policy as access
from app.access.auth import AGENT
from app.access.policy import ADMIN, MARKETER, PUBLIC, VIEWER, Principal, api_access, public_api
from app.api.auth import KEY_ACCESS_ATTR, TRACKING_KEY_REFUSED, KeyAccess
from app.core.context import current
from storage import api_keys
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
CALLERS = ("anonymous", AGENT, VIEWER, MARKETER, ADMIN)
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


# --- the two kinds of API credentials ------------------------------------------------------------------------

KEY_CALLERS = ("tracking key", "viewer token", "marketer token")


def key_access(route: object) -> KeyAccess | None:
    """The key dependency a route declares (tracking key, maybe also a management token), None if it has none."""

    def walk(dependencies: list) -> KeyAccess | None:  # type: ignore[type-arg]
        for dependency in dependencies:
            found = getattr(dependency.call, KEY_ACCESS_ATTR, None) or walk(dependency.dependencies)
            if found:
                return found
        return None

    dependant = getattr(route, "dependant", None)
    return walk(dependant.dependencies) if dependant is not None else None


def expected_for_key(caller: str, declared: str, keys: KeyAccess | None) -> str:
    """What a credential gets on a /api/v1 route: "allowed", "refused" (403), "unauthorized" or "own check"."""
    role = {"viewer token": VIEWER, "marketer token": MARKETER}.get(caller)
    if declared != PUBLIC:  # a management route: tokens by role, tracking keys never
        return "allowed" if role is not None and auth.allows(role, declared) else "refused"
    if keys is None:
        return "own check"  # signed links, provider webhooks, health, docs: a key neither helps nor hurts
    if role is None:
        return "allowed"
    return "allowed" if keys.token_role is not None and auth.allows(role, keys.token_role) else "refused"


def api_key_table() -> list[tuple[str, str, dict[str, str]]]:
    """For every /api/v1 route: what an anonymous caller, a tracking key and each token gets."""
    table = []
    for route in access.routes():
        path = getattr(route, "path", "")
        if not path.startswith(("/api/v1", "/v1/")):  # /v1/...: the paths Segment's libraries call
            continue
        declared = access.effective_access(route, path)
        keys = key_access(route)
        for method in sorted(route.methods or {"GET"}):
            if method == "HEAD":
                continue
            anonymous = "own check" if declared == PUBLIC and keys is None else "unauthorized"
            row = {"anonymous": anonymous} | {c: expected_for_key(c, declared, keys) for c in KEY_CALLERS}
            table.append((method, path, row))
    return table


def _credentials() -> dict[str, str]:
    ctx = current()
    with ctx.db.session() as session:
        tracking = api_keys.create_key(session, name="app", now=ctx.clock.now())[1]
        viewer = api_keys.create_key(session, name="bi", now=ctx.clock.now(), kind="management", role=VIEWER)[1]
        marketer = api_keys.create_key(session, name="crm", now=ctx.clock.now(), kind="management", role=MARKETER)[1]
    return {"tracking key": tracking, "viewer token": viewer, "marketer token": marketer}


async def test_api_key_table_holds_for_tracking_keys_and_management_tokens(user: User) -> None:
    create_account(current(), ADMIN, "owner@example.com")
    credentials = _credentials()
    table = api_key_table()
    by_route = {f"{m} {p}": row for m, p, row in table}
    # The defect this guards against: a tracking key shipped in apps used to act as a marketer here.
    for management in ("GET /api/v1/outbox", "GET /api/v1/contacts/{external_id}/export"):
        assert by_route[management]["tracking key"] == "refused"
    assert by_route["DELETE /api/v1/contacts/{external_id}"] == {
        "anonymous": "unauthorized",
        "tracking key": "refused",
        "viewer token": "refused",
        "marketer token": "allowed",
    }
    assert by_route["POST /api/v1/track"]["marketer token"] == "refused"
    assert by_route["POST /api/v1/journeys/{journey_id}/enroll"]["marketer token"] == "allowed"
    checked = 0
    for method, path, row in table:
        for caller, expected in row.items():
            headers = {"Authorization": f"Bearer {credentials[caller]}"} if caller in credentials else {}
            response = await user.http_client.request(method, concrete(path), headers=headers, follow_redirects=False)
            where = f"{caller}: {method} {path} -> {response.status_code} {response.text[:120]}"
            if expected == "allowed":
                assert response.status_code not in (401, 403), where
            elif expected == "unauthorized":
                assert response.status_code == 401, where
            elif expected == "refused":
                assert response.status_code == 403, where
                if caller == "tracking key":
                    assert response.json()["detail"] == TRACKING_KEY_REFUSED, where
            checked += 1
    assert checked >= 4 * 15
