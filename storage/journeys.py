"""Queries for journeys and their published versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import func, update
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, select

from journeys.errors import ConflictError, NotFoundError
from storage import partitions
from storage.models import Journey, JourneyVersion


class StaleRevision(ConflictError):
    """The draft changed since the caller read it (another tab or user saved first)."""

    def __init__(self, current: int) -> None:
        super().__init__(f"this journey was changed elsewhere (now at revision {current}); reload to see it")
        self.current = current

    def body(self) -> dict[str, Any]:
        detail = f"expected_revision: the draft is now at revision {self.current}; read it again and retry"
        return {"detail": detail, "current_revision": self.current}


class NotFound(NotFoundError):
    pass


@dataclass(frozen=True)
class JourneyRow:
    id: int
    name: str
    description: str
    status: str
    revision: int
    live_version: int | None
    updated_at: datetime
    key: str | None = None


class KeyTaken(ConflictError, ValueError):
    def __init__(self, key: str, journey_id: int | None) -> None:
        owner = f"journey {journey_id}" if journey_id is not None else "another journey"
        super().__init__(f"key {key!r} is already used by {owner}")
        self.field = "key"
        self.key = key
        self.journey_id = journey_id


def create_journey(session: Session, *, draft: dict[str, Any], now: datetime, key: str | None = None) -> Journey:
    if key is not None and (owner := find_by_key(session, key=key)) is not None:
        raise KeyTaken(key, owner.id)  # type: ignore[arg-type]
    journey = Journey(
        key=key,
        name=draft["name"],
        description=draft.get("description", ""),
        draft=draft,
        created_at=now,
        updated_at=now,
    )
    session.add(journey)
    try:
        session.flush()
    except IntegrityError as exc:  # another writer took the key since we looked (PostgreSQL's concurrent apply)
        if key is None:
            raise
        raise KeyTaken(key, None) from exc
    return journey


def get_journey(session: Session, *, journey_id: int) -> Journey:
    journey = session.get(Journey, journey_id)
    if journey is None:
        raise NotFound(f"journey {journey_id} does not exist")
    return journey


def find_by_key(session: Session, *, key: str) -> Journey | None:
    return session.exec(select(Journey).where(Journey.key == key)).first()


def take_turn_on_key(session: Session, *, key: str) -> None:
    """Until this transaction ends, other transactions applying ``key`` wait (PostgreSQL; on SQLite the write
    transaction already holds the one write lock), so the second of two applies of a new key updates what the
    first created instead of colliding with it."""
    partitions.serialise(session.connection(), f"journey-key:{key}")


def set_key(session: Session, *, journey_id: int, key: str) -> None:
    """Give a journey its stable key (refused with KeyTaken when another journey holds it)."""
    owner = find_by_key(session, key=key)
    if owner is not None and owner.id != journey_id:
        raise KeyTaken(key, owner.id)  # type: ignore[arg-type]
    journey = get_journey(session, journey_id=journey_id)
    journey.key = key
    session.add(journey)
    session.flush()


def list_journeys(session: Session, *, include_archived: bool = True) -> list[JourneyRow]:
    query = (
        select(
            Journey.id,
            Journey.name,
            Journey.description,
            Journey.status,
            Journey.revision,
            JourneyVersion.version,
            Journey.updated_at,
            Journey.key,
        )
        .outerjoin(JourneyVersion, col(JourneyVersion.id) == col(Journey.live_version_id))
        .order_by(col(Journey.updated_at).desc(), col(Journey.id).desc())
    )
    if not include_archived:
        query = query.where(col(Journey.status) != "archived")
    return [JourneyRow(*row) for row in session.exec(query).all()]


def save_draft(
    session: Session, *, journey_id: int, draft: dict[str, Any], expected_revision: int, now: datetime
) -> int:
    """Store a new draft if nobody saved since ``expected_revision``; returns the new revision."""
    result = session.execute(
        update(Journey)
        .where(col(Journey.id) == journey_id, col(Journey.revision) == expected_revision)
        .values(
            draft=draft,
            name=draft["name"],
            description=draft.get("description", ""),
            revision=Journey.revision + 1,
            updated_at=now,
        )
    )
    if result.rowcount != 1:
        current = get_journey(session, journey_id=journey_id).revision
        raise StaleRevision(current)
    return expected_revision + 1


def set_status(session: Session, *, journey_id: int, status: str, now: datetime) -> None:
    journey = get_journey(session, journey_id=journey_id)
    journey.status = status
    journey.updated_at = now
    session.add(journey)


def rename_journey(session: Session, *, journey_id: int, name: str, now: datetime) -> None:
    journey = get_journey(session, journey_id=journey_id)
    journey.name = name
    journey.draft = {**journey.draft, "name": name}
    journey.revision += 1
    journey.updated_at = now
    session.add(journey)


def delete_journey(session: Session, *, journey_id: int) -> None:
    journey = get_journey(session, journey_id=journey_id)
    for version in session.exec(select(JourneyVersion).where(JourneyVersion.journey_id == journey_id)).all():
        session.delete(version)
    session.delete(journey)


def add_version(
    session: Session, *, journey_id: int, document: dict[str, Any], now: datetime, published_by: str | None = None
) -> JourneyVersion:
    journey = get_journey(session, journey_id=journey_id)
    latest = session.exec(select(func.max(JourneyVersion.version)).where(JourneyVersion.journey_id == journey_id)).one()
    version = JourneyVersion(
        journey_id=journey_id, version=(latest or 0) + 1, document=document, published_at=now, published_by=published_by
    )
    session.add(version)
    session.flush()
    journey.live_version_id = version.id
    if journey.status != "paused":  # a paused journey stays paused until someone resumes it
        journey.status = "live"
    journey.updated_at = now
    session.add(journey)
    return version


def list_versions(session: Session, *, journey_id: int) -> list[JourneyVersion]:
    return list(
        session.exec(
            select(JourneyVersion)
            .where(JourneyVersion.journey_id == journey_id)
            .order_by(col(JourneyVersion.version).desc())
        ).all()
    )


def find_version(session: Session, *, journey_id: int, version: int) -> JourneyVersion | None:
    return session.exec(
        select(JourneyVersion).where(JourneyVersion.journey_id == journey_id, JourneyVersion.version == version)
    ).first()


def get_version(session: Session, *, version_id: int) -> JourneyVersion:
    version = session.get(JourneyVersion, version_id)
    if version is None:
        raise NotFound(f"journey version {version_id} does not exist")
    return version
