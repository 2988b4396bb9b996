"""Read queries for the contacts pages (search, profile, timeline) and batched inserts for demo data.

Ingestion (identify/track) lives in the audience area; this module only reads, plus the bulk inserts the
demo workspace needs. Every query is parameterised; searches are paginated with LIMIT/OFFSET.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Generic, TypeVar

from sqlalchemy import String, and_, cast, func, or_, select
from sqlmodel import Session, col

from storage.models import Contact, Event

MAX_PAGE_SIZE = 200
T = TypeVar("T")


@dataclass(frozen=True)
class ContactRow:
    id: int
    external_id: str | None
    email: str | None
    phone: str | None
    first_name: str
    last_name: str
    time_zone: str | None
    last_seen_at: datetime | None


@dataclass(frozen=True)
class Page(Generic[T]):
    items: list[T]
    total: int
    page: int
    page_size: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.page_size))


@dataclass(frozen=True)
class Enrollment:
    journey_id: int
    journey_name: str
    status: str
    entered_at: datetime | None


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _search_filter(query: str) -> Any:
    pattern = f"%{_escape_like(query.strip().lower())}%"
    return or_(
        func.lower(col(Contact.email)).like(pattern, escape="\\"),
        func.lower(col(Contact.phone)).like(pattern, escape="\\"),
        func.lower(col(Contact.external_id)).like(pattern, escape="\\"),
        func.lower(cast(col(Contact.attributes), String)).like(pattern, escape="\\"),
    )


def _clamp(page: int, page_size: int) -> tuple[int, int]:
    return max(1, page), min(max(1, page_size), MAX_PAGE_SIZE)


def search_contacts(
    session: Session,
    *,
    query: str = "",
    page: int = 1,
    page_size: int = 25,
    external_id: str | None = None,
    email: str | None = None,
    oldest_first: bool = False,
) -> Page[ContactRow]:
    """Contacts whose email, phone, external id or any attribute value contains ``query`` (case-insensitive),
    optionally with exactly this ``external_id`` and/or ``email`` (email compared case-insensitively)."""
    page, page_size = _clamp(page, page_size)
    filters = [_search_filter(query)] if query.strip() else []
    if external_id is not None:
        filters.append(col(Contact.external_id) == external_id)
    if email is not None:
        filters.append(func.lower(col(Contact.email)) == email.strip().lower())
    where = and_(*filters) if filters else None
    counted = select(func.count()).select_from(Contact)
    listed = select(
        Contact.id,
        Contact.external_id,
        Contact.email,
        Contact.phone,
        Contact.attributes,
        Contact.time_zone,
        Contact.last_seen_at,
    ).order_by(col(Contact.id) if oldest_first else col(Contact.id).desc())
    if where is not None:
        counted, listed = counted.where(where), listed.where(where)
    total = session.execute(counted).scalar_one()
    rows = session.execute(listed.limit(page_size).offset((page - 1) * page_size)).all()
    items = [
        ContactRow(
            id=r.id,
            external_id=r.external_id,
            email=r.email,
            phone=r.phone,
            first_name=str((r.attributes or {}).get("first_name", "")),
            last_name=str((r.attributes or {}).get("last_name", "")),
            time_zone=r.time_zone,
            last_seen_at=r.last_seen_at,
        )
        for r in rows
    ]
    return Page(items=items, total=total, page=page, page_size=page_size)


def get_contact(session: Session, *, contact_id: int) -> Contact | None:
    return session.get(Contact, contact_id)


def list_events(session: Session, *, contact_id: int, page: int = 1, page_size: int = 20) -> Page[Event]:
    """A contact's events, latest first."""
    page, page_size = _clamp(page, page_size)
    total = session.execute(
        select(func.count()).select_from(Event).where(col(Event.contact_id) == contact_id)
    ).scalar_one()
    rows = (
        session.execute(
            select(Event)
            .where(col(Event.contact_id) == contact_id)
            .order_by(col(Event.timestamp).desc(), col(Event.id).desc())
            .limit(page_size)
            .offset((page - 1) * page_size)
        )
        .scalars()
        .all()
    )
    return Page(items=list(rows), total=total, page=page, page_size=page_size)


def list_enrollments(session: Session, *, contact_id: int) -> list[Enrollment]:
    """The journeys a contact is or was in, latest first (one row per run)."""
    from datetime import UTC

    from storage.engine_models import Enrollment as Run
    from storage.models import Journey

    runs, journeys = Run.__table__, Journey.__table__
    query = (
        select(runs.c.journey_id, journeys.c.name, runs.c.status, runs.c.entered_at)
        .join(journeys, journeys.c.id == runs.c.journey_id)
        .where(runs.c.contact_id == contact_id)
        .order_by(runs.c.entered_at.desc(), runs.c.id.desc())
        .limit(200)
    )
    return [
        Enrollment(jid, name, status, datetime.fromtimestamp(at, UTC) if at else None)
        for jid, name, status, at in session.execute(query)
    ]


def count_contacts(session: Session) -> int:
    return session.execute(select(func.count()).select_from(Contact)).scalar_one()


def contact_ids(session: Session, *, external_prefix: str, limit: int = 100_000) -> list[int]:
    """Ids of contacts whose external id starts with ``external_prefix``, oldest first."""
    pattern = _escape_like(external_prefix) + "%"
    query = select(Contact.id).where(col(Contact.external_id).like(pattern, escape="\\"))
    return list(session.execute(query.order_by(col(Contact.id)).limit(limit)).scalars())


def external_ids(session: Session, *, prefix: str, limit: int = 100_000) -> list[str]:
    """External ids that start with ``prefix``, in id order."""
    pattern = _escape_like(prefix) + "%"
    query = select(Contact.external_id).where(col(Contact.external_id).like(pattern, escape="\\"))
    return [e for e in session.execute(query.order_by(col(Contact.id)).limit(limit)).scalars() if e]
