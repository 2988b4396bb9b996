"""Key authentication for the REST API, reusable by every router. Keys do one job each:

- **tracking keys** (``pk_…``, "write keys", shipped inside apps): the tracking calls, the in-app inbox, app-reported
  opens and clicks, consent set by the app, and API entry into a journey. They never reach the management API:
  sent there as ``Authorization: Bearer`` they get 403 (``TRACKING_KEY_REFUSED``).
- **management tokens** (``pm_…``, created by admins with a role, viewer or marketer): the management API, where
  ``api_key_principal`` turns one into a Principal with the token's role, checked per route like a user's. On
  routes meant for apps only they get 403 (``MANAGEMENT_TOKEN_REFUSED``); a marketer token may also enroll contacts
  and set consent from a back end (``require_app_key(token_role=MARKETER)``).

A key travels as HTTP Basic with the key as username and an empty password (what Segment's libraries send) or as
``Authorization: Bearer <key>``.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Callable
from dataclasses import dataclass

from fastapi import Depends, HTTPException, Request, status

from app.access import auth
from app.access import policy as access
from app.access.auth import MARKETER, Principal
from app.core.context import AppContext, current
from storage import api_keys
from storage.api_keys import MANAGEMENT, TRACKING, KeyInfo

KEY_ACCESS_ATTR = "parcours_key_access"


@dataclass(frozen=True)
class KeyAccess:
    """Which credentials a key-authenticated route takes (read by the permission table test)."""

    token_role: str | None  # None: tracking keys only; else also management tokens of at least this role
    open_when_no_keys: bool = False


CHALLENGE = {"WWW-Authenticate": 'Basic realm="parcours", charset="UTF-8"'}
TRACKING_KEY_REFUSED = "this is a tracking key; management routes need a management token"
MANAGEMENT_TOKEN_REFUSED = "this is a management token; tracking routes need a tracking (write) key"


def key_from_header(header: str | None) -> str | None:
    """The raw key in an Authorization header, or None."""
    if not header:
        return None
    scheme, _, value = header.strip().partition(" ")
    value = value.strip()
    if scheme.lower() == "bearer":
        return value or None
    if scheme.lower() == "basic":
        try:
            decoded = base64.b64decode(value, validate=True).decode("utf-8")
        except (binascii.Error, UnicodeDecodeError):
            return None
        username, _, _password = decoded.partition(":")
        return username or None
    return None


def _unauthorized(message: str) -> HTTPException:
    return HTTPException(status.HTTP_401_UNAUTHORIZED, detail=message, headers=CHALLENGE)


def find_key(ctx: AppContext, raw: str) -> KeyInfo | None:
    """The unrevoked key of either kind; a management token's use is recorded (at most once a minute)."""
    with ctx.db.session() as session:
        key = api_keys.find_key(session, raw=raw)
        if key is not None and key.kind == MANAGEMENT:
            now = ctx.clock.now()
            if key.last_used_at is None or now - key.last_used_at >= api_keys.LAST_USED_RESOLUTION:
                api_keys.touch(session, key_id=key.id, now=now)
    return key


def _check(request: Request, *, optional_when_no_keys: bool, token_role: str | None) -> KeyInfo | None:
    raw = key_from_header(request.headers.get("authorization"))
    ctx = current()
    if raw is None:
        if optional_when_no_keys:
            with ctx.db.session() as session:
                if sum(api_keys.active_key_count(session, kind=kind) for kind in api_keys.KINDS) == 0:
                    return None
        raise _unauthorized("missing API key: send it as HTTP Basic username or as a Bearer token")
    return _admit(ctx, raw, token_role)


def _admit(ctx: AppContext, raw: str, token_role: str | None) -> KeyInfo:
    """The key for ``raw``: 401 when unknown or revoked, 403 for a token where only tracking keys (or a higher
    token role) may call."""
    key = find_key(ctx, raw)
    if key is None:
        raise _unauthorized("unknown or revoked API key")
    if key.kind == MANAGEMENT:
        if token_role is None:
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=MANAGEMENT_TOKEN_REFUSED)
        if not auth.allows(key.role or "", token_role):
            raise HTTPException(status.HTTP_403_FORBIDDEN, detail=f"this needs a {token_role} token")
    return key


def require_app_key(
    *, token_role: str | None = None, open_when_no_keys: bool = False
) -> Callable[[Request], KeyInfo | None]:
    """A FastAPI dependency for routes apps call: a tracking key, or (when ``token_role`` is given) a management
    token of at least that role. ``open_when_no_keys`` lets calls through while no key of any kind exists yet."""

    def dependency(request: Request) -> KeyInfo | None:
        return _check(request, optional_when_no_keys=open_when_no_keys, token_role=token_role)

    dependency.__name__ = f"require_app_key_{token_role or TRACKING}"
    setattr(dependency, KEY_ACCESS_ATTR, KeyAccess(token_role, open_when_no_keys))
    return dependency


def require_write_key(request: Request, body_key: object = None) -> KeyInfo:
    """The tracking API's key: the Authorization header (Basic username or Bearer), else the body's ``writeKey``
    (Segment's libraries send both; browsers' beacons can send only the body). 401 when none is valid."""
    raw = key_from_header(request.headers.get("authorization"))
    if raw is None and isinstance(body_key, str) and body_key:
        raw = body_key
    if raw is None:
        raise _unauthorized("missing write key: send it as HTTP Basic username, a Bearer token or writeKey")
    return _admit(current(), raw, None)


def require_api_key(request: Request) -> KeyInfo:
    """FastAPI dependency: a valid tracking key is required (401 otherwise, 403 for a management token)."""
    key = _check(request, optional_when_no_keys=False, token_role=None)
    assert key is not None
    return key


setattr(require_api_key, KEY_ACCESS_ATTR, KeyAccess(None))


def tracking_key_route() -> None:
    """Declares a route that takes tracking keys only. Its handler checks the key itself with ``require_write_key``
    (the key may travel in the body, read by the handler); the permission table test checks the two agree."""


setattr(tracking_key_route, KEY_ACCESS_ATTR, KeyAccess(None))
ApiKeyRequired = Depends(require_api_key)
# API entry into a journey: from an app (tracking key) or a back end (marketer token); open on a fresh install.
require_enroll_key = require_app_key(token_role=MARKETER, open_when_no_keys=True)
# Consent from the app's own settings screen (tracking key) or a back end syncing a CRM (marketer token).
require_consent_key = require_app_key(token_role=MARKETER)


def api_key_principal(ctx: AppContext, token: str) -> Principal | None:
    """Token verifier for the management API: a management token acts with its role; a tracking key is refused."""
    key = find_key(ctx, token)
    if key is None:
        return None
    if key.kind != MANAGEMENT:
        raise access.TokenRefused(TRACKING_KEY_REFUSED)
    if key.role not in api_keys.TOKEN_ROLES:
        return None  # a token never acts as an admin, whatever its row says
    return Principal(user_id=0, email=f"api-token:{key.prefix}", display_name=key.name, role=key.role)


access.register_token_verifier(api_key_principal)
