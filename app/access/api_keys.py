"""API credentials as a service: create (the raw value is returned once), list, revoke; each change is audited.

Tracking keys (``create``/``revoke``/``list_all``) are the write keys apps ship; management tokens
(``create_token``/``revoke_token``/``list_tokens``) reach the management API with a viewer or marketer role.
"""

from __future__ import annotations

from app.access import audit
from app.core.context import AppContext
from storage import api_keys
from storage.api_keys import MANAGEMENT, TOKEN_ROLES, TRACKING, KeyInfo, UnknownApiKey

__all__ = [
    "TOKEN_ROLES",
    "KeyInfo",
    "UnknownApiKey",
    "create",
    "create_token",
    "list_all",
    "list_tokens",
    "revoke",
    "revoke_token",
]


def _create(ctx: AppContext, name: str, *, actor: str, kind: str, role: str | None) -> tuple[KeyInfo, str]:
    action = "apikey.create" if kind == TRACKING else "token.create"
    with ctx.db.session() as session:
        info, raw = api_keys.create_key(session, name=name, now=ctx.clock.now(), kind=kind, role=role)
        details = {"id": info.id, "name": info.name, **({"role": role} if role else {})}
        audit.record(ctx, actor, action, info.prefix, details, session=session)
    return info, raw


def _revoke(ctx: AppContext, key_id: int, *, actor: str, kind: str) -> None:
    with ctx.db.session() as session:
        api_keys.revoke_key(session, key_id=key_id, now=ctx.clock.now(), kind=kind)
        audit.record(ctx, actor, "apikey.revoke" if kind == TRACKING else "token.revoke", str(key_id), session=session)


def create(ctx: AppContext, name: str, *, actor: str) -> tuple[KeyInfo, str]:
    """A new tracking key and its raw value (not stored anywhere); ValueError when the name is empty."""
    return _create(ctx, name, actor=actor, kind=TRACKING, role=None)


def create_token(ctx: AppContext, name: str, *, role: str, actor: str) -> tuple[KeyInfo, str]:
    """A new management token acting as ``role`` (viewer or marketer); ValueError names the bad field."""
    return _create(ctx, name, actor=actor, kind=MANAGEMENT, role=role)


def revoke(ctx: AppContext, key_id: int, *, actor: str) -> None:
    """Revoke a tracking key (again is harmless); UnknownApiKey when there is no such key."""
    _revoke(ctx, key_id, actor=actor, kind=TRACKING)


def revoke_token(ctx: AppContext, token_id: int, *, actor: str) -> None:
    """Revoke a management token (again is harmless); UnknownApiKey when there is no such token."""
    _revoke(ctx, token_id, actor=actor, kind=MANAGEMENT)


def list_all(ctx: AppContext) -> list[KeyInfo]:
    with ctx.db.session() as session:
        return api_keys.list_keys(session, kind=TRACKING)


def list_tokens(ctx: AppContext) -> list[KeyInfo]:
    with ctx.db.session() as session:
        return api_keys.list_keys(session, kind=MANAGEMENT)
