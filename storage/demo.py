"""Queries of the live demo: which contacts the demo made, what the simulated provider sent, goal events."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import Connection, select

from storage.engine_models import OutboxMessage
from storage.models import Contact, JourneyVersion

DEMO_PREFIX = "demo-"  # the external ids of the demo's people start with it; no real contact may use it
CHUNK = 900
OUT = OutboxMessage.__table__
VER = JourneyVersion.__table__


def demo_contact_ids(conn: Connection, contact_ids: Iterable[int]) -> set[int]:
    """Which of these contacts were made by the demo (their external id has the reserved ``demo-`` prefix)."""
    ids, found = sorted(set(contact_ids)), set()
    con = Contact.__table__
    for start in range(0, len(ids), CHUNK):
        query = select(con.c.id).where(
            con.c.id.in_(ids[start : start + CHUNK]), con.c.external_id.startswith(DEMO_PREFIX, autoescape=True)
        )
        found.update(conn.execute(query).scalars())
    return found


def sent_between(conn: Connection, provider: str, *, since: int, until: int) -> list[Any]:
    """Outbox rows this provider sent in (since, until]."""
    query = select(OUT).where(OUT.c.provider == provider, OUT.c.status == "sent", OUT.c.sent_at > since)
    return [r for r in conn.execute(query) if r.sent_at <= until]


def goal_events(conn: Connection, version_ids: set[int]) -> dict[int, str]:
    """Journey version id -> the event name of its goal, for the versions that have one."""
    if not version_ids:
        return {}
    out: dict[int, str] = {}
    for version_id, doc in conn.execute(select(VER.c.id, VER.c.document).where(VER.c.id.in_(sorted(version_ids)))):
        goal = (doc or {}).get("goal") or {}
        if isinstance(goal, dict) and goal.get("event"):
            out[version_id] = str(goal["event"])
    return out
