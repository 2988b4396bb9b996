"""Journeys as code: apply a journey file to the journey whose key it carries, and compare documents.

``apply`` creates the journey when no journey has the file's key, else replaces its draft, and with
``publish=True`` publishes the result as a new version when it differs from the live one. It is idempotent:
applying the same file again writes nothing (no revision, no version, no audit entry, ``updated_at`` kept).
Everything is checked before the first write, and the writes are one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlmodel import Session

from app.access import audit
from app.authoring.service import DocumentError, InvalidJourney, NotFound, StatusError, check, resolve, violation_dicts
from app.core.context import AppContext
from app.delivery import webhook_config
from journeys import document
from journeys.diff import JourneyDiff, diff
from journeys.document import JourneyDocument
from journeys.validation import validate
from storage import journeys as store
from storage.models import Journey

DRAFT = "draft"


@dataclass(frozen=True)
class ApplyResult:
    journey_id: int
    key: str
    created: bool
    draft_changed: bool
    revision: int
    published_version: int | None  # the version this apply published, None when it published nothing
    live_version: int | None
    changes: JourneyDiff  # from the draft as it was to the file (everything added when created)

    @property
    def unchanged(self) -> bool:
        return not (self.created or self.draft_changed or self.published_version)

    def to_dict(self) -> dict[str, Any]:
        return {
            "journey_id": self.journey_id,
            "key": self.key,
            "created": self.created,
            "draft_changed": self.draft_changed,
            "unchanged": self.unchanged,
            "revision": self.revision,
            "published_version": self.published_version,
            "live_version": self.live_version,
            "diff": self.changes.to_dict(),
        }


def apply(
    ctx: AppContext, raw: str | bytes | dict[str, Any], *, publish: bool = False, actor: str = "system"
) -> ApplyResult:
    """Create or update the journey with the document's key. Raises DocumentError, InvalidJourney or
    StatusError before writing anything."""
    doc, violations = check(raw)
    if doc.key is None:
        reason = 'missing: a file to apply needs a top-level "key" (`journey export` writes one)'
        raise DocumentError(reason, "key")
    if violations:
        raise InvalidJourney(violations)
    if publish and (problems := webhook_config.publish_problems(ctx, doc)):
        raise InvalidJourney(problems)
    stored = document.to_dict(document.without_key(doc))
    now = ctx.clock.now()
    # A write transaction from the first read: two applies of one new key take turns, and the second updates
    # what the first created instead of creating it again.
    with ctx.db.write_session() as session:
        store.take_turn_on_key(session, key=doc.key)
        journey = store.find_by_key(session, key=doc.key)
        created = journey is None
        if journey is None:
            before = document.parse({"schema_version": document.SCHEMA_VERSION, "name": doc.name})
            journey = store.create_journey(session, draft=stored, now=now, key=doc.key)
        else:
            if journey.status == "archived":
                raise StatusError(f"key: journey {journey.id} ({doc.key}) is archived; use a new key")
            before = document.parse(journey.draft)
        journey_id: int = journey.id  # type: ignore[assignment]
        draft_changed = not created and document.to_dict(before) != stored
        revision = journey.revision
        if draft_changed:
            revision = store.save_draft(
                session, journey_id=journey_id, draft=stored, expected_revision=journey.revision, now=now
            )
        live = _live_document(session, journey)
        published = None
        if publish and (live is None or live != stored):
            published = store.add_version(
                session, journey_id=journey_id, document=stored, now=now, published_by=actor
            ).version
        if created or draft_changed or published:
            details = {"key": doc.key, "created": created, "published_version": published}
            audit.record(ctx, actor, "journey.apply", str(journey_id), details, session=session)
        live_version = published or _live_number(session, journey)
    return ApplyResult(
        journey_id, doc.key, created, draft_changed, revision, published, live_version, diff(before, doc)
    )


def _live_document(session: Session, journey: Journey) -> dict[str, Any] | None:
    if journey.live_version_id is None:
        return None
    return store.get_version(session, version_id=journey.live_version_id).document


def _live_number(session: Session, journey: Journey) -> int | None:
    if journey.live_version_id is None:
        return None
    return store.get_version(session, version_id=journey.live_version_id).version


def load(ctx: AppContext, ref: str) -> JourneyDocument:
    """A document from a file path, or from ``ID@VERSION``, ``ID@draft`` or ``ID@live`` (ID: number or key)."""
    path = Path(ref)
    if "@" not in ref or path.is_file():
        return _read_file(path)
    journey_ref, _, which = ref.rpartition("@")
    return stored_document(ctx, resolve(ctx, journey_ref), which)


def stored_document(ctx: AppContext, journey_id: int, which: str) -> JourneyDocument:
    """The draft (``draft``), the live version (``live``) or a version number of a journey."""
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        if which == DRAFT:
            return document.parse(journey.draft)
        if which == "live":
            if journey.live_version_id is None:
                raise NotFound(f"journey {journey_id} has no published version")
            return document.parse(store.get_version(session, version_id=journey.live_version_id).document)
        if not which.isdigit():
            raise NotFound(f"{which!r}: give a version number, 'draft' or 'live'")
        found = store.find_version(session, journey_id=journey_id, version=int(which))
        if found is None:
            raise NotFound(f"journey {journey_id} has no version {which}")
        return document.parse(found.document)


def _read_file(path: Path) -> JourneyDocument:
    try:
        size = path.stat().st_size
        if size > document.MAX_DOCUMENT_BYTES:
            raise DocumentError(f"file is {size:,} bytes; the limit is {document.MAX_DOCUMENT_BYTES:,}", str(path))
        raw = path.read_bytes()
    except OSError as exc:
        raise NotFound(f"{path}: cannot read file ({exc.strerror}); give a file or ID@VERSION") from exc
    try:
        return document.parse(raw)
    except DocumentError as exc:
        raise DocumentError(exc.reason, f"{path}: {exc.location}" if exc.location else str(path)) from exc


def summary(journey: Journey, live_version: int | None) -> dict[str, Any]:
    return {
        "id": journey.id,
        "key": journey.key,
        "name": journey.name,
        "description": journey.description,
        "status": journey.status,
        "revision": journey.revision,
        "live_version": live_version,
        "created_at": journey.created_at.isoformat(),
        "updated_at": journey.updated_at.isoformat(),
    }


def describe(ctx: AppContext, journey_id: int) -> dict[str, Any]:
    """A journey with its draft (``draft``), its versions (newest first) and its draft's violations."""
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        versions = store.list_versions(session, journey_id=journey_id)
        live = next((v.version for v in versions if v.id == journey.live_version_id), None)
        out = summary(journey, live)
        draft = document.parse(journey.draft).model_copy(update={"key": journey.key})
    out["versions"] = [
        {"version": v.version, "published_at": v.published_at.isoformat(), "published_by": v.published_by}
        for v in versions
    ]
    out["draft"] = document.to_dict(draft)
    out["violations"] = violation_dicts(validate(draft))
    return out


def replace_draft(
    ctx: AppContext, journey_id: int, raw: bytes, *, expected_revision: int, actor: str = "system"
) -> dict[str, Any]:
    """Replace the draft when nobody saved since ``expected_revision`` (else StaleRevision). A draft may break
    graph rules while it is being worked on: they are returned, and publishing refuses them."""
    doc, violations = check(raw)
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        if doc.key is not None and doc.key != journey.key:
            raise DocumentError(f"{doc.key!r} is not this journey's key ({journey.key!r}); leave it out", "key")
        stored = document.to_dict(document.without_key(doc))
        revision = store.save_draft(
            session, journey_id=journey_id, draft=stored, expected_revision=expected_revision, now=ctx.clock.now()
        )
        audit.record(ctx, actor, "journey.save", str(journey_id), {"revision": revision}, session=session)
    return {
        "id": journey_id,
        "revision": revision,
        "violations": [v.model_dump() | {"text": str(v)} for v in violations],
    }


def compare(ctx: AppContext, journey_id: int, before: str, after: str, *, layout: bool = False) -> dict[str, Any]:
    """The diff between two stored documents of a journey (version numbers, ``draft`` or ``live``)."""
    result = diff(stored_document(ctx, journey_id, before), stored_document(ctx, journey_id, after))
    return {"journey_id": journey_id, "from": before, "to": after, **result.to_dict(layout=layout)}
