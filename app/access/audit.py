"""The audit log: who did what and when. Append-only; there is deliberately no update or delete function.

Call ``record`` from any service after a sensitive action (publish, pause, import, export, erase, settings
change, API key create/revoke...). Pass ``session`` to write the entry in the same transaction as the change.
Never put secrets or message bodies in ``details``.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlmodel import Session

from app.core.context import AppContext
from storage import trust as store
from storage.trust_models import AuditEntry

MAX_DETAIL_CHARS = 2000


def record(
    ctx: AppContext,
    actor: str,
    action: str,
    target: str = "",
    details: dict[str, Any] | None = None,
    *,
    ip: str | None = None,
    session: Session | None = None,
) -> None:
    """Append one entry. ``actor`` is a user's email, "cli", "api:<key name>" or "system"."""
    values = {
        "at": ctx.clock.now(),
        "actor": (actor or "unknown")[:320],
        "action": action[:64],
        "target": str(target)[:400],
        "details": _bounded(details or {}),
        "ip": ip[:64] if ip else None,
    }
    if session is not None:
        store.insert_audit(session, **values)
        return
    with ctx.db.session() as own:
        store.insert_audit(own, **values)


def _bounded(details: dict[str, Any]) -> dict[str, Any]:
    """Details are for people to read: long values are cut so one entry cannot bloat the log."""
    out: dict[str, Any] = {}
    for key, value in list(details.items())[:30]:
        if isinstance(value, str | int | float | bool) or value is None:
            out[str(key)[:100]] = value[:MAX_DETAIL_CHARS] if isinstance(value, str) else value
        else:
            out[str(key)[:100]] = str(value)[:MAX_DETAIL_CHARS]
    return out


def entries(
    ctx: AppContext,
    *,
    actor: str | None = None,
    action: str | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int = 500,
) -> list[AuditEntry]:
    """Newest first. ``actor`` matches a substring; ``until`` is exclusive."""
    where = store.AuditFilter(actor=actor or None, action=action or None, since=since, until=until, limit=limit)
    with ctx.db.session() as session:
        return store.list_audit(session, where=where)


def actions(ctx: AppContext) -> list[str]:
    with ctx.db.session() as session:
        return store.list_audit_actions(session)
