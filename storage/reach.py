"""Queries for the skip estimate: a journey's likely audience and, per channel, who of it a message would skip.

The reasons mirror the engine's checks at send time (journeys/delivery.py), in the same order: an opt-out,
then a missing lawful basis, then a missing address. A test compares both on the same contacts.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Select, and_, case, func, literal, select
from sqlmodel import Session

from storage.json_sql import JsonSql
from storage.models import Event
from storage.segment_sql import CONTACT
from storage.segments import segment_member_query

EVENTS = Event.__table__
# The column a channel is addressed by (push goes to the contact's external id, as OneSignal's alias).
ADDRESS = {
    "push": CONTACT.c.external_id,
    "sms": CONTACT.c.phone,
    "email": CONTACT.c.email,
    "in_app": CONTACT.c.external_id,
}


@dataclass(frozen=True)
class Reach:
    audience: int
    unsubscribed: int
    no_consent: int
    no_address: int


def everyone() -> Select[Any]:
    return select(CONTACT.c.id).where(CONTACT.c.merged_into_id.is_(None))


def event_senders(*, event: str, since: datetime) -> Select[Any]:
    """Contacts who sent ``event`` at or after ``since`` (through ix_event_contact_name_ts / ix_event_name_ts)."""
    return select(EVENTS.c.contact_id).where(EVENTS.c.name == event, EVENTS.c.timestamp >= since).distinct()


def segment_members(session: Session, *, segment: str, now: datetime) -> Select[Any]:
    return segment_member_query(session, segment=segment, now=now)


def count(session: Session, audience: Select[Any]) -> int:
    return int(session.execute(select(func.count()).select_from(audience.subquery())).scalar_one())


def _missing(column: Any) -> Any:
    return func.coalesce(column, "") == ""


def reach(session: Session, audience: Select[Any], *, channel: str, basis: str) -> Reach:
    """How many of ``audience`` the channel would skip, by reason, under the channel's consent ``basis``.

    ``basis``: ``opt_in`` (a recorded yes is needed), ``push_token`` (a reported token is the yes),
    ``legitimate_interest`` or ``none`` (only an opt-out stops it).
    """
    status = func.coalesce(JsonSql(session.get_bind().dialect.name).key_text(CONTACT.c.consent, channel), "")
    lacking: Any = literal(False)
    if basis == "opt_in":
        lacking = status != "subscribed"
    elif basis == "push_token":
        lacking = and_(status != "subscribed", _missing(CONTACT.c.push_id))
    reason = case(
        (status == "unsubscribed", "unsubscribed"),
        (lacking, "no_consent"),
        (_missing(ADDRESS[channel]), "no_address"),
        else_="ok",
    )
    members = audience.subquery()
    query = (
        select(reason.label("reason"), func.count())
        .select_from(CONTACT.join(members, CONTACT.c.id == members.c[0]))
        .where(CONTACT.c.merged_into_id.is_(None))
        .group_by(reason)
    )
    found = {str(r): int(n) for r, n in session.execute(query)}
    return Reach(
        audience=sum(found.values()),
        unsubscribed=found.get("unsubscribed", 0),
        no_consent=found.get("no_consent", 0),
        no_address=found.get("no_address", 0),
    )


def union(queries: list[Select[Any]]) -> Select[Any]:
    """Contacts of any of ``queries`` (several entry steps), each counted once."""
    if len(queries) == 1:
        return queries[0]
    merged = queries[0].union(*queries[1:]).subquery()
    return select(merged.c[0])
