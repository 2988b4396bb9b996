"""Signed links to the hosted preference page, where a person chooses the channels they hear from us on."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from app.access import keys, signing
from app.core.context import AppContext
from storage import gdpr as store

PURPOSE = "preferences"
VALID_FOR = timedelta(days=90)
CHANNELS = ("email", "sms", "push", "in_app")


def preference_token(ctx: AppContext, contact_id: int, *, valid_for: timedelta = VALID_FOR) -> str:
    expires = int((ctx.clock.now() + valid_for).timestamp())
    return signing.sign(keys.link_secret(ctx.settings), PURPOSE, {"c": contact_id, "exp": expires})


def preference_url(ctx: AppContext, contact_id: int, *, base_url: str | None = None) -> str:
    """The link to put in messages; absolute when a base URL is given or configured."""
    base = base_url if base_url is not None else str(getattr(ctx.settings, "public_url", "") or "")
    return f"{base.rstrip('/')}/preferences/{preference_token(ctx, contact_id)}"


def contact_for(ctx: AppContext, token: str) -> dict[str, Any] | None:
    """The contact a genuine, unexpired token names (and who still exists), else None."""
    payload = signing.verify(keys.link_secret(ctx.settings), PURPOSE, token)
    if payload is None:
        return None
    contact_id, expires = payload.get("c"), payload.get("exp")
    if not isinstance(contact_id, int) or not isinstance(expires, int):
        return None
    if expires < ctx.clock.now().timestamp():
        return None
    with ctx.db.session() as session:
        return store.contact_row(session, contact_id)
