"""Journey use cases shared by the CLI, the API and the pages: import, export, save, publish, status."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from app.access import audit
from app.core.context import AppContext
from app.delivery import webhook_config
from app.engine.engine import Engine
from journeys import document, editing
from journeys.document import DocumentError, JourneyDocument
from journeys.errors import ConflictError, InvalidError
from journeys.templates import get_template
from journeys.validation import Violation, validate
from storage import journeys as store
from storage.journey_stats import JourneyCounts, journey_counts
from storage.journeys import KeyTaken, NotFound, StaleRevision
from storage.models import Journey

__all__ = ["DocumentError", "InvalidJourney", "KeyTaken", "NotFound", "StaleRevision"]


class InvalidJourney(InvalidError):
    def __init__(self, violations: list[Violation]) -> None:
        super().__init__(f"{len(violations)} problem(s) in the journey")
        self.violations = violations


class StatusError(ConflictError, ValueError):
    pass


def check(raw: str | bytes | dict[str, Any]) -> tuple[JourneyDocument, list[Violation]]:
    """Parse and validate; raises DocumentError when the file cannot be read at all or breaks the import limits."""
    if isinstance(raw, dict):  # text gets the limits inside parse
        document.check_limits(raw)
    doc = document.parse(raw)
    return doc, validate(doc)


def import_journey(ctx: AppContext, raw: str | bytes | dict[str, Any], *, actor: str = "system") -> int:
    """Store a valid document as a new draft and return its id. Nothing is written when it is invalid."""
    doc, violations = check(raw)
    if violations:
        raise InvalidJourney(violations)
    with ctx.db.write_session() as session:
        draft = document.to_dict(document.without_key(doc))
        try:
            journey = store.create_journey(session, draft=draft, now=ctx.clock.now(), key=doc.key)
        except KeyTaken as exc:
            reason = f"{exc}; use `journey apply` to update that journey, or change the key"
            raise DocumentError(reason, "key") from exc
        journey_id: int = journey.id  # type: ignore[assignment]
        audit.record(ctx, actor, "journey.import", str(journey_id), {"name": doc.name}, session=session)
        return journey_id


def create_journey(ctx: AppContext, *, name: str, template: str | None = None, lang: str = "en") -> int:
    """A new draft, blank (entry + exit to start from) or copied from a template (its texts in ``lang``)."""
    if template:
        found = get_template(template)
        if found is None:
            raise NotFound(f"no template named {template!r}")
        doc = found.load(lang)
        doc = doc.model_copy(update={"name": name or doc.name})
    else:
        doc = editing.blank(name or "Untitled journey")
    with ctx.db.session() as session:
        return store.create_journey(session, draft=document.to_dict(doc), now=ctx.clock.now()).id  # type: ignore[return-value]


def duplicate_journey(ctx: AppContext, journey_id: int) -> int:
    with ctx.db.session() as session:
        source = store.get_journey(session, journey_id=journey_id)
        draft = {**source.draft, "name": f"{source.name} (copy)"[:200]}
        return store.create_journey(session, draft=draft, now=ctx.clock.now()).id  # type: ignore[return-value]


def export_journey(ctx: AppContext, journey_id: int, *, version: int | None = None, actor: str = "system") -> str:
    """The canonical document text of the draft, or of a published version number, with the journey's key
    (a journey without one is given one now, so the exported file can be applied back)."""
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        if version is None:
            data = journey.draft
        else:
            found = store.find_version(session, journey_id=journey_id, version=version)
            if found is None:
                raise NotFound(f"journey {journey_id} has no version {version}")
            data = found.document
        key = ensure_key(session, journey)
        audit.record(ctx, actor, "journey.export", str(journey_id), {"version": version}, session=session)
    return document.dumps(document.parse(data).model_copy(update={"key": key}))


def ensure_key(session: Session, journey: Journey) -> str:
    """The journey's key, made from its name the first time (with its id appended when that name is taken)."""
    if journey.key:
        return journey.key
    key = document.key_from_name(journey.name)
    owner = store.find_by_key(session, key=key)
    if owner is not None and owner.id != journey.id:
        key = f"{key}-{journey.id}"
    store.set_key(session, journey_id=journey.id, key=key)  # type: ignore[arg-type]
    return key


def resolve(ctx: AppContext, ref: str) -> int:
    """A journey id from a number or a key (``42`` or ``welcome-series``); NotFound otherwise."""
    ref = ref.strip()
    with ctx.db.session() as session:
        if ref.isdigit():
            return store.get_journey(session, journey_id=int(ref)).id  # type: ignore[return-value]
        journey = store.find_by_key(session, key=ref)
        if journey is None:
            raise NotFound(f"no journey with id or key {ref[:80]!r}")
        return journey.id  # type: ignore[return-value]


def save_draft(ctx: AppContext, journey_id: int, doc: JourneyDocument, *, expected_revision: int) -> int:
    with ctx.db.session() as session:
        return store.save_draft(
            session,
            journey_id=journey_id,
            draft=document.to_dict(document.without_key(doc)),
            expected_revision=expected_revision,
            now=ctx.clock.now(),
        )


def publish(ctx: AppContext, journey_id: int, *, published_by: str | None = None, actor: str = "system") -> int:
    """Validate the draft and store it as the next immutable version; returns the version number."""
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        if journey.status == "archived":
            raise StatusError("an archived journey cannot be published")
        doc, violations = check(journey.draft)
        violations = violations or webhook_config.publish_problems(ctx, doc)  # needs DNS: only when valid
        if violations:
            raise InvalidJourney(violations)
        version = store.add_version(
            session,
            journey_id=journey_id,
            document=document.to_dict(doc),
            now=ctx.clock.now(),
            published_by=published_by,
        )
        details = {"version": version.version, "name": journey.name}
        audit.record(ctx, published_by or actor, "journey.publish", str(journey_id), details, session=session)
        return version.version


_TRANSITIONS = {
    "pause": ({"live"}, "paused"),
    "resume": ({"paused"}, "live"),
    "archive": ({"draft", "live", "paused"}, "archived"),
}


def change_status(ctx: AppContext, journey_id: int, action: str, *, actor: str = "system") -> str:
    allowed, target = _TRANSITIONS[action]
    with ctx.db.session() as session:
        journey = store.get_journey(session, journey_id=journey_id)
        if journey.status not in allowed:
            raise StatusError(f"cannot {action} a journey that is {journey.status}")
        store.set_status(session, journey_id=journey_id, status=target, now=ctx.clock.now())
        details: dict[str, Any] = {"name": journey.name}
        if target == "archived":  # nobody stays inside an archived journey: they exit, logged as "archived"
            details["exited"] = Engine(ctx).end_journey(session.connection(), journey_id, "archived")
        audit.record(ctx, actor, f"journey.{action}", str(journey_id), details, session=session)
    return target


def rename_journey(ctx: AppContext, journey_id: int, name: str) -> str:
    """Rename a journey (draft and list); the name is trimmed and must be 1 to 200 characters."""
    name = name.strip()
    if not 1 <= len(name) <= 200:
        raise ValueError("a journey name needs 1 to 200 characters")
    with ctx.db.session() as session:
        store.rename_journey(session, journey_id=journey_id, name=name, now=ctx.clock.now())
    return name


def delete_journey(ctx: AppContext, journey_id: int, *, actor: str = "system") -> None:
    """Remove a journey with its published versions, in one transaction."""
    with ctx.db.session() as session:
        store.delete_journey(session, journey_id=journey_id)
        audit.record(ctx, actor, "journey.delete", str(journey_id), session=session)


def list_overview(ctx: AppContext) -> list[tuple[store.JourneyRow, JourneyCounts]]:
    """Every journey with its counts (entered / in progress), newest first."""
    with ctx.db.session() as session:
        rows = store.list_journeys(session)
        counts = journey_counts(session, journey_ids=[row.id for row in rows])
    return [(row, counts.get(row.id, JourneyCounts())) for row in rows]
