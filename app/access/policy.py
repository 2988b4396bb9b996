"""Who may reach what, enforced on the server. Deny by default.

Every page and every ``/api/v1`` route declares the least role it needs:

- pages: ``ui.page("/path")(requires(MARKETER)(page_func))``, or ``public(page_func)`` for the login page,
  set-up and pages reached by signed links;
- API routes: ``Depends(api_access(VIEWER))`` (it returns the ``Principal``), or ``Depends(public_api)`` for
  routes that authenticate otherwise (the tracking API with its write keys, signed-link endpoints).

``install(app)`` adds the middleware that checks each request against that declaration. A route that declares
nothing is treated as admin-only, so a forgotten page fails closed; tests/test_permissions.py fails for it too.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable, Iterable
from contextvars import ContextVar
from typing import Any
from urllib.parse import quote

from fastapi import FastAPI, HTTPException, Request
from fastapi.routing import iter_route_contexts
from starlette.responses import JSONResponse, RedirectResponse, Response
from starlette.routing import Match, Mount
from starlette.types import ASGIApp, Receive, Scope, Send

from app.access import auth
from app.access.auth import ADMIN, MARKETER, VIEWER, Principal
from app.core.context import AppContext, current

PUBLIC = "public"
ACCESS_ATTR = "parcours_access"
__all__ = [
    "ADMIN",
    "MARKETER",
    "PUBLIC",
    "VIEWER",
    "Principal",
    "TokenRefused",
    "api_access",
    "public",
    "public_api",
    "requires",
]


# Routes that cannot carry a declaration: NiceGUI's own assets and websocket, the favicon, the health probe.
# Add the tracking API's prefix here only if its router cannot use ``Depends(public_api)``.
def _nicegui() -> Any:
    """NiceGUI's app, imported when a session is read or written: the ingestion role never loads the UI."""
    from nicegui import app as nicegui_app

    return nicegui_app


PUBLIC_PREFIXES: tuple[str, ...] = ("/_nicegui/", "/_nicegui_ws/")
PUBLIC_PATHS: frozenset[str] = frozenset({"/favicon.ico", "/api/v1/health"})

SESSION_USER = "parcours_user_id"
SESSION_VERSION = "parcours_session_version"

# Bearer-token checkers for the management API (the API-keys area registers one); each returns a Principal, None
# for a token it does not know, or raises TokenRefused for a known credential that may not be used here.
TOKEN_VERIFIERS: list[Callable[[AppContext, str], Principal | None]] = []

_set_up_databases: set[str] = set()


class TokenRefused(Exception):
    """A genuine credential of the wrong kind for the management API (a tracking key): 403 with this message."""


def register_token_verifier(verifier: Callable[[AppContext, str], Principal | None]) -> None:
    if verifier not in TOKEN_VERIFIERS:
        TOKEN_VERIFIERS.append(verifier)


# --- declarations -----------------------------------------------------------------------------------------


def requires(role: str) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Declare (and check again inside the page) the least role a page needs."""
    auth.check_level(role)

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        if inspect.iscoroutinefunction(func):

            @functools.wraps(func)
            async def guarded_async(*args: Any, **kwargs: Any) -> Any:
                if not _page_allowed(role):
                    return _refuse_page()
                return await func(*args, **kwargs)

            wrapper: Callable[..., Any] = guarded_async
        else:

            @functools.wraps(func)
            def guarded(*args: Any, **kwargs: Any) -> Any:
                if not _page_allowed(role):
                    return _refuse_page()
                return func(*args, **kwargs)

            wrapper = guarded
        setattr(wrapper, ACCESS_ATTR, role)
        return wrapper

    return decorate


def public(func: Callable[..., Any]) -> Callable[..., Any]:
    """Declare a page open to anonymous visitors (it must check any signed token itself)."""
    setattr(func, ACCESS_ATTR, PUBLIC)
    return func


def api_access(role: str) -> Callable[[Request], Principal]:
    """A FastAPI dependency: the caller's Principal, or 401 (not signed in) / 403 (role too low)."""
    auth.check_level(role)

    def dependency(request: Request) -> Principal:
        try:
            principal = request_principal(request)
        except TokenRefused as exc:
            raise HTTPException(403, detail=str(exc)) from exc
        if principal is None:
            raise HTTPException(401, detail="sign in or send an API token (Authorization: Bearer ...)")
        if not auth.allows(principal.role, role):
            raise HTTPException(403, detail=f"this needs the {role} role")
        return principal

    setattr(dependency, ACCESS_ATTR, role)
    dependency.__name__ = f"api_access_{role}"
    return dependency


def public_api() -> None:
    """A FastAPI dependency that declares a route open (it authenticates by other means, e.g. write keys)."""


setattr(public_api, ACCESS_ATTR, PUBLIC)


def declared_access(route: Any) -> str | None:
    """The role (or PUBLIC) a route declares through its endpoint or its dependencies; None if nothing."""
    declared = getattr(getattr(route, "endpoint", None), ACCESS_ATTR, None)
    if declared:
        return declared
    dependant = getattr(route, "dependant", None)
    return _declared_in(dependant.dependencies) if dependant is not None else None


def _declared_in(dependencies: Iterable[Any]) -> str | None:
    for dependency in dependencies:
        declared = getattr(dependency.call, ACCESS_ATTR, None) or _declared_in(dependency.dependencies)
        if declared:
            return declared
    return None


def effective_access(route: Any, path: str) -> str:
    """What the middleware enforces: the declaration, the allow-list, else admin-only (fail closed)."""
    if path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES) or isinstance(_original(route), Mount):
        return PUBLIC
    return declared_access(route) or ADMIN


def _original(route: Any) -> Any:
    return getattr(route, "original_route", route)


# --- who is asking ----------------------------------------------------------------------------------------


def sign_in(principal: Principal) -> None:
    """Bind the current browser session (NiceGUI's signed user storage) to this account."""
    _nicegui().storage.user[SESSION_USER] = principal.user_id
    _nicegui().storage.user[SESSION_VERSION] = principal.session_version


def sign_out() -> None:
    _nicegui().storage.user.pop(SESSION_USER, None)
    _nicegui().storage.user.pop(SESSION_VERSION, None)


# Set by app.access.guard while a guarded event handler runs: the account as read from the DB at that click, so checks
# further down the same click (ensure, current_actor) do not query again.
ACTING: ContextVar[Principal | None] = ContextVar("parcours_acting", default=None)


def current_principal() -> Principal | None:
    """The signed-in account of the page or event handler being run (re-read from the DB, once per click)."""
    return ACTING.get() or session_principal()


def session_principal() -> Principal | None:
    """The browser session's account as the DB has it now: None when signed out, deactivated or the password
    changed since sign-in (both bump the account's session version). One primary-key query."""
    try:
        stored = _nicegui().storage.user
    except (RuntimeError, AssertionError, KeyError):
        return None
    user_id, version = stored.get(SESSION_USER), stored.get(SESSION_VERSION)
    if not isinstance(user_id, int) or not isinstance(version, int):
        return None
    return auth.principal_for(current(), user_id=user_id, session_version=version)


def request_principal(request: Request) -> Principal | None:
    """The caller of an HTTP request: a bearer token if one is sent, else the browser session."""
    header = request.headers.get("authorization", "")
    if header.lower().startswith("bearer "):
        token = header[7:].strip()
        for verifier in TOKEN_VERIFIERS:
            principal = verifier(current(), token)
            if principal is not None:
                return principal
        return None
    return current_principal()


def current_actor() -> str:
    """The audit log's name for whoever runs the current page or handler: the account's email, else "system"."""
    principal = current_principal()
    return principal.email if principal is not None else "system"


def client_ip(request: Request | None) -> str | None:
    return request.client.host if request is not None and request.client else None


def ensure(role: str) -> Principal:
    """For event handlers: the signed-in principal if it has ``role``; raises PermissionError otherwise."""
    principal = current_principal()
    if principal is None or not auth.allows(principal.role, role):
        raise PermissionError(f"this needs the {role} role")
    return principal


def _page_allowed(role: str) -> bool:
    principal = current_principal()
    return principal is not None and auth.allows(principal.role, role)


def _refuse_page() -> Response:
    anonymous = current_principal() is None
    return _refusal(False, 0, "", "/login" if anonymous else "/denied", "login" if anonymous else "role")


def set_up_done(ctx: AppContext) -> bool:
    """Whether an account exists (cached once true: accounts are never deleted, only deactivated)."""
    if ctx.settings.database_url in _set_up_databases:
        return True
    if auth.has_users(ctx):
        _set_up_databases.add(ctx.settings.database_url)
        return True
    return False


# --- enforcement ------------------------------------------------------------------------------------------


def routes() -> list[Any]:
    """Every route of the app, with routers included through ``include_router`` flattened."""
    return list(iter_route_contexts(_nicegui().routes))


def _route_for(request: Request) -> Any:
    partial = None
    for route in routes():
        match, _ = route.matches(request.scope)
        if match == Match.FULL:
            return route
        if match == Match.PARTIAL and partial is None:
            partial = route
    return partial


class AccessMiddleware:
    """Checks every HTTP request against the declared access of the route it reaches.

    A plain ASGI middleware: allowed requests pass through untouched (a BaseHTTPMiddleware would re-stream
    every request body through extra tasks, which measured as a tenth of the tracking API's CPU time).
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            refusal = refusal_for(Request(scope))
            if refusal is not None:
                await refusal(scope, receive, send)
                return
        await self.app(scope, receive, send)


def refusal_for(request: Request) -> Response | None:
    """The response refusing this request, or None when its route allows the caller."""
    route = _route_for(request)
    if route is None:
        return None  # a 404 reveals nothing
    path = request.url.path
    required = effective_access(route, path)
    if required == PUBLIC:
        return None
    is_api = path.startswith("/api/")
    if not set_up_done(current()):
        return _refusal(is_api, 401, "Parcours is not set up yet", "/setup", "setup")
    try:
        principal = request_principal(request)
    except TokenRefused as exc:
        return _refusal(is_api, 403, str(exc), "/denied", "token-kind")
    if principal is None:
        target = f"/login?next={quote(_local_target(request))}"
        return _refusal(is_api, 401, "sign in or send an API token", target, "login")
    if not auth.allows(principal.role, required):
        return _refusal(is_api, 403, f"this needs the {required} role", "/denied", "role")
    return None


REFUSED_HEADER = "X-Parcours-Refused"


def _refusal(is_api: bool, status: int, detail: str, page: str, reason: str) -> Response:
    """API callers get a JSON status; browsers are sent to the page that explains (login, set-up, denied)."""
    headers = {REFUSED_HEADER: reason}
    if is_api:
        return JSONResponse({"detail": detail}, status_code=status, headers=headers)
    return RedirectResponse(page, status_code=303, headers=headers)


def _local_target(request: Request) -> str:
    query = f"?{request.url.query}" if request.url.query else ""
    return request.url.path + query


def safe_next(target: str | None) -> str:
    """Only same-site paths: an open redirect through ?next= would help phishing."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    if any(ord(char) < 0x21 or ord(char) == 0x7F for char in target):
        return "/"  # browsers drop tabs and newlines, so "/\t/evil.example" would become "//evil.example"
    return target


def install(app: FastAPI) -> None:
    """THE switch: with this middleware every route is denied unless its declaration allows the caller."""
    if not any(m.cls is AccessMiddleware for m in app.user_middleware):
        app.add_middleware(AccessMiddleware)
