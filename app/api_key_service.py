"""API keys as a service: create (the raw key is returned once), list, revoke; each change is audited."""

from __future__ import annotations

from app import audit
from app.context import AppContext
from storage import api_keys
from storage.api_keys import KeyInfo, UnknownApiKey

__all__ = ["KeyInfo", "UnknownApiKey", "create", "list_all", "revoke"]


def create(ctx: AppContext, name: str, *, actor: str) -> tuple[KeyInfo, str]:
    """A new key and its raw value (not stored anywhere); ValueError when the name is empty."""
    with ctx.db.session() as session:
        info, raw = api_keys.create_key(session, name=name, now=ctx.clock.now())
        audit.record(ctx, actor, "apikey.create", info.prefix, {"id": info.id, "name": info.name}, session=session)
    return info, raw


def revoke(ctx: AppContext, key_id: int, *, actor: str) -> None:
    """Revoke a key (again is harmless); UnknownApiKey when there is no such key."""
    with ctx.db.session() as session:
        api_keys.revoke_key(session, key_id=key_id, now=ctx.clock.now())
        audit.record(ctx, actor, "apikey.revoke", str(key_id), session=session)


def list_all(ctx: AppContext) -> list[KeyInfo]:
    with ctx.db.session() as session:
        return api_keys.list_keys(session)
