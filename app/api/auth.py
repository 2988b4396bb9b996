"""Write-key authentication for the REST API, reusable by every router.

The key travels as HTTP Basic with the key as username and an empty password (what Segment's libraries
send) or as ``Authorization: Bearer <key>``. ``require_api_key`` always demands a valid, unrevoked key;
``require_api_key_when_keys_exist`` lets requests through while no key has been created yet (a fresh
install), and demands one as soon as any exists.

An API key sent as ``Authorization: Bearer <key>`` also reaches the management API (routes declared with
``api_access(MARKETER)`` or lower): ``api_key_principal`` is registered as a token verifier and maps a valid
key to a marketer principal named after the key.
"""

from __future__ import annotations

import base64
import binascii

from fastapi import Depends, HTTPException, Request, status

from app import access
from app.auth import MARKETER, Principal
from app.context import AppContext, current
from storage import api_keys
from storage.api_keys import KeyInfo

CHALLENGE = {"WWW-Authenticate": 'Basic realm="parcours", charset="UTF-8"'}


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


def _check(request: Request, *, optional_when_no_keys: bool) -> KeyInfo | None:
    raw = key_from_header(request.headers.get("authorization"))
    with current().db.session() as session:
        if raw is None:
            if optional_when_no_keys and api_keys.active_key_count(session) == 0:
                return None
            raise _unauthorized("missing API key: send it as HTTP Basic username or as a Bearer token")
        key = api_keys.find_active_key(session, raw=raw)
    if key is None:
        raise _unauthorized("unknown or revoked API key")
    return key


def require_write_key(request: Request, body_key: object = None) -> KeyInfo:
    """The tracking API's key: the Authorization header (Basic username or Bearer), else the body's ``writeKey``
    (Segment's libraries send both; browsers' beacons can send only the body). 401 when none is valid."""
    raw = key_from_header(request.headers.get("authorization"))
    if raw is None and isinstance(body_key, str) and body_key:
        raw = body_key
    if raw is None:
        raise _unauthorized("missing write key: send it as HTTP Basic username, a Bearer token or writeKey")
    with current().db.session() as session:
        key = api_keys.find_active_key(session, raw=raw)
    if key is None:
        raise _unauthorized("unknown or revoked API key")
    return key


def require_api_key(request: Request) -> KeyInfo:
    """FastAPI dependency: a valid API key is required (401 otherwise)."""
    key = _check(request, optional_when_no_keys=False)
    assert key is not None
    return key


def require_api_key_when_keys_exist(request: Request) -> KeyInfo | None:
    """FastAPI dependency: like require_api_key, but open while no API key exists at all."""
    return _check(request, optional_when_no_keys=True)


ApiKeyRequired = Depends(require_api_key)
ApiKeyWhenKeysExist = Depends(require_api_key_when_keys_exist)


def api_key_principal(ctx: AppContext, token: str) -> Principal | None:
    """Token verifier: a valid, unrevoked API key acts as a marketer (never as an admin)."""
    with ctx.db.session() as session:
        key = api_keys.find_active_key(session, raw=token)
    if key is None:
        return None
    return Principal(user_id=0, email=f"api-key:{key.prefix}", display_name=key.name, role=MARKETER)


access.register_token_verifier(api_key_principal)
