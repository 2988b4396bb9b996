"""SQL of best-time sending: engagements read past a cursor, profiles and the workspace profile read and written."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from sqlalchemy import Connection, func, insert, select, update

from journeys.send_time import SESSION_EVENTS, Profile
from storage.funnel_log import LOG
from storage.models import Contact, Event
from storage.send_time_models import SendTimeProfile, SendTimeWorkspace

PROFILE = SendTimeProfile.__table__  # type: ignore[attr-defined]
WORKSPACE = SendTimeWorkspace.__table__  # type: ignore[attr-defined]
EVENT = Event.__table__  # type: ignore[attr-defined]
CONTACT = Contact.__table__  # type: ignore[attr-defined]
CHUNK = 500
# (row id, contact id, epoch seconds, contact's time zone or None)
Engagement = tuple[int, int, int, str | None]


def sessions_after(conn: Connection, cursor: int, limit: int) -> list[Engagement]:
    """App sessions (events) with an id past ``cursor``, oldest first."""
    query = (
        select(EVENT.c.id, EVENT.c.contact_id, EVENT.c.timestamp, CONTACT.c.time_zone)
        .join(CONTACT, CONTACT.c.id == EVENT.c.contact_id)
        .where(EVENT.c.id > cursor, EVENT.c.name.in_(SESSION_EVENTS))
        .order_by(EVENT.c.id)
        .limit(limit)
    )
    return [(r[0], r[1], int(r[2].timestamp()), r[3]) for r in conn.execute(query)]


def opens_after(conn: Connection, cursor: int, limit: int) -> list[Engagement]:
    """Message opens (a click also logs an open, so clicks are not counted twice) past ``cursor``."""
    query = (
        select(LOG.c.id, LOG.c.contact_id, LOG.c.at, CONTACT.c.time_zone)
        .join(CONTACT, CONTACT.c.id == LOG.c.contact_id)
        .where(LOG.c.id > cursor, LOG.c.metric == "opened")
        .order_by(LOG.c.id)
        .limit(limit)
    )
    return [(r[0], r[1], int(r[2]), r[3]) for r in conn.execute(query)]


def profiles(conn: Connection, contact_ids: Iterable[int]) -> dict[int, Profile]:
    ids = sorted(set(contact_ids))
    out: dict[int, Profile] = {}
    for start in range(0, len(ids), CHUNK):
        query = select(PROFILE.c.contact_id, PROFILE.c.counts).where(
            PROFILE.c.contact_id.in_(ids[start : start + CHUNK])
        )
        out.update({cid: Profile.from_sparse(counts) for cid, counts in conn.execute(query)})
    return out


def save_profiles(conn: Connection, changed: Mapping[int, Profile], existing: set[int], now: int) -> None:
    """Write changed profiles: an update for those that had a row, one insert for the others."""
    rows = [{"contact_id": c, "counts": p.sparse(), "total": p.total, "updated_at": now} for c, p in changed.items()]
    new = [row for row in rows if row["contact_id"] not in existing]
    for row in rows:
        if row["contact_id"] in existing:
            values = {k: row[k] for k in ("counts", "total", "updated_at")}
            conn.execute(update(PROFILE).where(PROFILE.c.contact_id == row["contact_id"]).values(**values))
    for start in range(0, len(new), CHUNK):
        conn.execute(insert(PROFILE), new[start : start + CHUNK])


def workspace(conn: Connection) -> Profile:
    stored = conn.execute(select(WORKSPACE.c.counts).where(WORKSPACE.c.id == 1)).scalar_one_or_none()
    return Profile.from_sparse(stored)


def save_workspace(conn: Connection, profile: Profile, now: int) -> None:
    values = {"counts": profile.sparse(), "total": profile.total, "updated_at": now}
    if conn.execute(update(WORKSPACE).where(WORKSPACE.c.id == 1).values(**values)).rowcount == 0:
        conn.execute(insert(WORKSPACE).values(id=1, **values))


def audience(conn: Connection, limit: int) -> list[tuple[str | None, Profile]]:
    """(time zone, profile) of up to ``limit`` contacts of the workspace (merged-away contacts left out)."""
    query = (
        select(CONTACT.c.time_zone, PROFILE.c.counts)
        .select_from(CONTACT.outerjoin(PROFILE, PROFILE.c.contact_id == CONTACT.c.id))
        .where(CONTACT.c.merged_into_id.is_(None))
        .order_by(CONTACT.c.id)
        .limit(limit)
    )
    return [(zone, Profile.from_sparse(counts)) for zone, counts in conn.execute(query)]


def contact_count(conn: Connection) -> int:
    return int(conn.execute(select(func.count()).where(CONTACT.c.merged_into_id.is_(None))).scalar_one())
