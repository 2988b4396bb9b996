"""Queries of consent: a contact's current consent and its append-only history."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlmodel import Session

from storage.gdpr_models import ConsentChange
from storage.models import Contact

CONTACT = Contact.__table__
HISTORY = ConsentChange.__table__


def contact_by_external_id(session: Session, external_id: str) -> int | None:
    return session.execute(select(CONTACT.c.id).where(CONTACT.c.external_id == external_id)).scalar_one_or_none()


def contacts_by_phone(session: Session, phone: str, limit: int = 100) -> list[int]:
    query = select(CONTACT.c.id).where(CONTACT.c.phone == phone).order_by(CONTACT.c.id).limit(limit)
    return list(session.execute(query).scalars())


def current_consent(session: Session, contact_id: int) -> dict[str, Any] | None:
    """The contact's consent map, or None when the contact does not exist."""
    row = session.execute(select(CONTACT.c.consent).where(CONTACT.c.id == contact_id)).first()
    return None if row is None else dict(row[0] or {})


def write_consent(session: Session, contact_id: int, consent: dict[str, Any], *, now: datetime) -> None:
    session.execute(update(CONTACT).where(CONTACT.c.id == contact_id).values(consent=consent, updated_at=now))


def append_history(session: Session, rows: list[dict[str, Any]]) -> None:
    if rows:
        session.execute(insert(HISTORY), rows)


def history(session: Session, contact_id: int) -> list[dict[str, Any]]:
    query = select(HISTORY).where(HISTORY.c.contact_id == contact_id).order_by(HISTORY.c.at, HISTORY.c.id)
    return [dict(row._mapping) for row in session.execute(query)]
