"""Journey outcomes of contacts, for writing back to a CRM: who changed since a time, and what to tell the CRM."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select, union
from sqlmodel import Session

from storage.contacts import CONTACTS
from storage.engine_models import Enrollment, OutboxMessage
from storage.funnel_models import Conversion
from storage.models import Journey

ENR = Enrollment.__table__
OUT = OutboxMessage.__table__
CONV = Conversion.__table__
JOURNEYS = Journey.__table__
IN_CHUNK = 900


def changed_contacts(session: Session, *, since: int) -> list[int]:
    """Contacts whose journeys moved (entered, stepped), who converted or were sent a message at or after ``since``."""
    query = union(
        select(ENR.c.contact_id).where(ENR.c.updated_at >= since),
        select(ENR.c.contact_id).where(ENR.c.entered_at >= since),
        select(CONV.c.contact_id).where(CONV.c.at >= since),
        select(OUT.c.contact_id).where(OUT.c.sent_at >= since),
    )
    return sorted(int(row[0]) for row in session.execute(query))


def crm_ids(session: Session, *, contact_ids: list[int], key: str) -> dict[int, str]:
    """The CRM id (attribute ``key``) of each of these live contacts that has one."""
    out: dict[int, str] = {}
    for start in range(0, len(contact_ids), IN_CHUNK):
        chunk = contact_ids[start : start + IN_CHUNK]
        query = select(CONTACTS.c.id, CONTACTS.c.attributes).where(
            CONTACTS.c.id.in_(chunk), CONTACTS.c.merged_into_id.is_(None)
        )
        for cid, attributes in session.execute(query):
            value = (attributes or {}).get(key)
            if value not in (None, ""):
                out[int(cid)] = str(value)
    return out


def outcomes(session: Session, *, contact_ids: list[int]) -> dict[int, dict[str, Any]]:
    """Per contact: the journey entered last, whether it converted in any, the last message sent (channel and
    time) and the revenue attributed to journeys."""
    out: dict[int, dict[str, Any]] = {
        cid: {"journey": None, "converted": False, "channel": None, "sent_at": None, "revenue": 0.0}
        for cid in contact_ids
    }
    for start in range(0, len(contact_ids), IN_CHUNK):
        chunk = contact_ids[start : start + IN_CHUNK]
        entered = (
            select(ENR.c.contact_id, JOURNEYS.c.name, ENR.c.entered_at, ENR.c.id)
            .join(JOURNEYS, JOURNEYS.c.id == ENR.c.journey_id)
            .where(ENR.c.contact_id.in_(chunk))
            .order_by(ENR.c.entered_at, ENR.c.id)
        )
        for cid, name, _at, _id in session.execute(entered):
            out[int(cid)]["journey"] = name  # ordered: the last one entered wins
        converted = (
            select(CONV.c.contact_id, func.count(), func.sum(CONV.c.revenue))
            .where(CONV.c.contact_id.in_(chunk))
            .group_by(CONV.c.contact_id)
        )
        for cid, count, revenue in session.execute(converted):
            out[int(cid)]["converted"] = count > 0
            out[int(cid)]["revenue"] = round(float(revenue or 0.0), 2)
        sent = (
            select(OUT.c.contact_id, OUT.c.channel, OUT.c.sent_at)
            .where(OUT.c.contact_id.in_(chunk), OUT.c.sent_at.is_not(None))
            .order_by(OUT.c.sent_at, OUT.c.id)
        )
        for cid, channel, sent_at in session.execute(sent):
            out[int(cid)]["channel"], out[int(cid)]["sent_at"] = channel, sent_at
    return out
