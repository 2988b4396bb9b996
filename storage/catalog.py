"""Read-only look-ups the journey builder offers as choices: event names, attribute keys, sample contacts."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import text
from sqlmodel import Session, col, select

from storage import contacts_queries
from storage.models import Contact, Event

ATTRIBUTE_SAMPLE = 5_000


@dataclass(frozen=True)
class ContactChoice:
    id: int
    label: str


def event_names(session: Session, *, limit: int = 500) -> list[str]:
    """Distinct event names seen so far, alphabetical."""
    query = select(Event.name).distinct().order_by(Event.name).limit(limit)
    return [name for name in session.exec(query).all() if name]


def attribute_keys(session: Session, *, limit: int = 500) -> list[str]:
    """Distinct top-level keys of contact attributes, alphabetical.

    Rows written before the edge check are skipped rather than fatal: invalid JSON (a NaN) is filtered in
    SQL, and keys that are not valid UTF-8 (a lone surrogate escape) are read as bytes and left out.
    """
    if session.get_bind().dialect.name == "sqlite":
        rows = session.execute(
            text(
                "SELECT DISTINCT CAST(j.key AS BLOB) FROM (SELECT attributes FROM contact"
                " WHERE json_valid(attributes) ORDER BY id DESC LIMIT :sample) AS c,"
                " json_each(c.attributes) AS j ORDER BY j.key LIMIT :limit"
            ),
            {"sample": ATTRIBUTE_SAMPLE, "limit": limit},
        )
        return [key for (raw,) in rows if (key := _text(raw)) is not None]
    rows = session.execute(
        text(
            "SELECT k FROM (SELECT DISTINCT k FROM (SELECT attributes FROM contact ORDER BY id DESC LIMIT :sample)"
            " AS c, jsonb_object_keys(CASE WHEN jsonb_typeof(c.attributes) = 'object' THEN c.attributes END) AS k)"
            ' AS d ORDER BY k COLLATE "C" LIMIT :limit'
        ),
        {"sample": ATTRIBUTE_SAMPLE, "limit": limit},
    )
    return [key for (key,) in rows]


def _text(raw: bytes | str | None) -> str | None:
    if raw is None or isinstance(raw, str):
        return raw
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return None


def search_contacts(session: Session, *, query: str = "", limit: int = 50) -> list[ContactChoice]:
    """Contacts to preview a message with, found as the contacts page finds them, oldest first."""
    found = contacts_queries.search_contacts(session, query=query, page_size=limit, oldest_first=True)
    return [ContactChoice(id=r.id, label=r.email or r.phone or r.external_id or f"#{r.id}") for r in found.items]


def contact_profile(session: Session, *, contact_id: int) -> dict[str, Any] | None:
    """The fields of one contact that message templates can use, with its latest event's properties."""
    contact = session.get(Contact, contact_id)
    if contact is None:
        return None
    latest = session.exec(
        select(Event.properties).where(Event.contact_id == contact_id).order_by(col(Event.timestamp).desc()).limit(1)
    ).first()
    fields = {
        "id": contact.id,
        "external_id": contact.external_id,
        "email": contact.email,
        "phone": contact.phone,
        "time_zone": contact.time_zone,
        "locale": contact.locale,
        "platform": contact.platform,
    }
    return {"contact": {**(contact.attributes or {}), **fields}, "event": dict(latest or {})}
