"""The in-app chat as the app reads it: the contact's chat turns after a cursor (a message id)."""

from __future__ import annotations

from typing import Any

from app.core.context import AppContext
from storage import consent as contact_ids
from storage import conversations as store

PUBLIC_FIELDS = ("id", "direction", "author", "text", "created_at")


def read(ctx: AppContext, *, external_id: str, after: int, limit: int) -> dict[str, Any] | None:
    """``{"messages": [...], "cursor": n}``; None when no contact has this external id."""
    with ctx.db.session() as session:
        contact_id = contact_ids.contact_by_external_id(session, external_id)
        if contact_id is None:
            return None
        rows = store.chat_messages(session, contact_id=contact_id, after_id=after, limit=limit)
    messages = [{name: row[name] for name in PUBLIC_FIELDS} for row in rows]
    return {"messages": messages, "cursor": messages[-1]["id"] if messages else after}
