"""Queries of the shop integrations: delivery log and de-duplication, and finding the contact a shop names."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import delete, insert, or_, select, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session

from storage.contacts import CONTACTS
from storage.integration_models import IntegrationDelivery
from storage.models import Event

DELIVERIES = IntegrationDelivery.__table__
EVENTS = Event.__table__


def log_delivery(
    session: Session,
    *,
    integration: str,
    topic: str,
    status: int,
    reason: str,
    now: int,
    delivery_id: str | None = None,
) -> int:
    """Append one delivery; returns its row id."""
    values = {
        "integration": integration,
        "delivery_id": delivery_id,
        "topic": topic[:80],
        "received_at": now,
        "status": status,
        "reason": reason[:300],
    }
    return int(session.execute(insert(DELIVERIES).values(**values)).inserted_primary_key[0])


def claim_delivery(session: Session, *, integration: str, delivery_id: str, topic: str, now: int) -> int | None:
    """Record an accepted delivery under its id; None when that id was already accepted (a replay)."""
    try:
        with session.begin_nested():
            return log_delivery(
                session, integration=integration, topic=topic, status=200, reason="", now=now, delivery_id=delivery_id
            )
    except IntegrityError:
        return None


def settle_delivery(session: Session, *, row_id: int, status: int, reason: str, keep_id: bool) -> None:
    """Set the final status of a claimed delivery; ``keep_id=False`` frees its id so a retry is processed."""
    values: dict[str, Any] = {"status": status, "reason": reason[:300]}
    if not keep_id:
        values["delivery_id"] = None
    session.execute(update(DELIVERIES).where(DELIVERIES.c.id == row_id).values(**values))


def recent_deliveries(session: Session, *, integration: str, limit: int = 20) -> list[dict[str, Any]]:
    query = (
        select(DELIVERIES.c.topic, DELIVERIES.c.received_at, DELIVERIES.c.status, DELIVERIES.c.reason)
        .where(DELIVERIES.c.integration == integration)
        .order_by(DELIVERIES.c.id.desc())
        .limit(limit)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def forget_deliveries(session: Session, *, before: int) -> int:
    """Delete deliveries received before ``before`` (epoch seconds); providers stop retrying long before."""
    return session.execute(delete(DELIVERIES).where(DELIVERIES.c.received_at < before)).rowcount or 0


def find_people(
    session: Session, *, external_ids: Iterable[str | None], emails: Iterable[str | None], phones: Iterable[str | None]
) -> list[dict[str, Any]]:
    """The live contacts carrying any of these identifiers, oldest first, in one query (a page of a few hundred)."""
    checks = [(CONTACTS.c.external_id, external_ids), (CONTACTS.c.email, emails), (CONTACTS.c.phone, phones)]
    wanted = [column.in_(sorted(kept)) for column, values in checks if (kept := {v for v in values if v})]
    if not wanted:
        return []
    query = (
        select(CONTACTS.c.id, CONTACTS.c.external_id, CONTACTS.c.anonymous_id, CONTACTS.c.email, CONTACTS.c.phone)
        .where(or_(*wanted), CONTACTS.c.merged_into_id.is_(None))
        .order_by(CONTACTS.c.id)
    )
    return [dict(row._mapping) for row in session.execute(query)]


def pick_person(
    rows: list[dict[str, Any]], *, external_id: str | None, email: str | None, phone: str | None
) -> dict[str, Any] | None:
    """Among ``rows`` (oldest first), the contact named by external id first, then email, then phone."""
    for column, value in (("external_id", external_id), ("email", email), ("phone", phone)):
        for row in rows:
            if value and row[column] == value:
                return row
    return None


def find_person(
    session: Session, *, external_id: str | None, email: str | None, phone: str | None
) -> dict[str, Any] | None:
    """The live contact a shop names: by external id first, then email, then phone (oldest contact wins)."""
    rows = find_people(session, external_ids=[external_id], emails=[email], phones=[phone])
    return pick_person(rows, external_id=external_id, email=email, phone=phone)


def people_named(session: Session, *, external_id: str | None, email: str | None, phone: str | None) -> list[int]:
    """Every live contact carrying one of these identifiers (a privacy request covers them all)."""
    checks = [(CONTACTS.c.external_id, external_id), (CONTACTS.c.email, email), (CONTACTS.c.phone, phone)]
    wanted = [column == value for column, value in checks if value]
    if not wanted:
        return []
    query = select(CONTACTS.c.id).where(or_(*wanted), CONTACTS.c.merged_into_id.is_(None)).order_by(CONTACTS.c.id)
    return [int(row[0]) for row in session.execute(query)]


def person_of_event(session: Session, *, message_id: str) -> dict[str, Any] | None:
    """The ids of the live contact an event (by its messageId) was stored for, e.g. the order a refund names."""
    query = (
        select(CONTACTS.c.external_id, CONTACTS.c.anonymous_id)
        .join(EVENTS, EVENTS.c.contact_id == CONTACTS.c.id)
        .where(EVENTS.c.message_id == message_id)
    )
    row = session.execute(query).first()
    return None if row is None else dict(row._mapping)
