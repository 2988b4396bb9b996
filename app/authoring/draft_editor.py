"""One browser tab's editing session on a journey draft: apply an edit, save it, undo and redo.

The server draft is the source of truth. Every edit is saved at once with the revision this tab last saw;
when another tab saved in between, :class:`StaleRevision` is raised and this session stops saving, so
nothing is silently overwritten. Edits made after that are kept in this tab (``doc``), never dropped, until the
user chooses: :meth:`overwrite` saves them over the other version, :meth:`reload` takes the other version.
"""

from __future__ import annotations

import time

from app.authoring import service as svc
from app.core.context import AppContext
from journeys import document
from journeys.document import JourneyDocument
from journeys.validation import Violation, validate
from storage import journeys as store
from storage.journeys import StaleRevision

HISTORY_LIMIT = 100
COALESCE_SECONDS = 2.0  # keystrokes in one form field become one undo step


class DraftEditor:
    def __init__(self, ctx: AppContext, journey_id: int) -> None:
        self.ctx = ctx
        self.journey_id = journey_id
        self.undo_stack: list[JourneyDocument] = []
        self.redo_stack: list[JourneyDocument] = []
        self._last_coalesce: tuple[str, float] | None = None
        self.reload()

    def reload(self) -> None:
        """Read the draft again (after a stale revision, for example) and forget the history."""
        with self.ctx.db.session() as session:
            journey = store.get_journey(session, journey_id=self.journey_id)
            self.doc = document.parse(journey.draft)
            self.base = self.doc  # the version this tab last read or saved
            self.revision = journey.revision
            self.status = journey.status
        self.undo_stack.clear()
        self.redo_stack.clear()
        self.stale = False
        self._violations: list[Violation] | None = None

    @property
    def violations(self) -> list[Violation]:
        if self._violations is None:
            self._violations = validate(self.doc)
        return self._violations

    def _keep(self, doc: JourneyDocument) -> None:
        self.doc = doc
        self._violations = None

    def _save(self, doc: JourneyDocument) -> None:
        if self.stale:
            self._keep(doc)  # kept in this tab until the user overwrites or reloads
            raise StaleRevision(self.revision)
        try:
            self.revision = svc.save_draft(self.ctx, self.journey_id, doc, expected_revision=self.revision)
        except StaleRevision:
            self.stale = True
            self._keep(doc)
            raise
        self._keep(doc)
        self.base = doc

    def overwrite(self) -> None:
        """Save this tab's version over the one saved elsewhere, after the user chose to."""
        with self.ctx.db.session() as session:
            current = store.get_journey(session, journey_id=self.journey_id).revision
        self.revision = svc.save_draft(self.ctx, self.journey_id, self.doc, expected_revision=current)
        self.stale = False
        self.base = self.doc

    def apply(self, doc: JourneyDocument, *, coalesce: str | None = None) -> None:
        """Save ``doc`` as the new draft and remember the previous one for undo."""
        previous = self.doc
        self._save(doc)
        now = time.monotonic()
        merged = (
            coalesce is not None
            and self._last_coalesce is not None
            and self._last_coalesce[0] == coalesce
            and now - self._last_coalesce[1] < COALESCE_SECONDS
            and self.undo_stack
        )
        if not merged:
            self.undo_stack.append(previous)
            del self.undo_stack[:-HISTORY_LIMIT]
        self._last_coalesce = (coalesce, now) if coalesce else None
        self.redo_stack.clear()

    def undo(self) -> bool:
        if not self.undo_stack or self.stale:
            return False
        current = self.doc
        self._save(self.undo_stack[-1])
        self.undo_stack.pop()
        self.redo_stack.append(current)
        self._last_coalesce = None
        return True

    def redo(self) -> bool:
        if not self.redo_stack or self.stale:
            return False
        current = self.doc
        self._save(self.redo_stack[-1])
        self.redo_stack.pop()
        self.undo_stack.append(current)
        self._last_coalesce = None
        return True

    def publish(self, actor: str = "system") -> int:
        version = svc.publish(self.ctx, self.journey_id, actor=actor)
        self.status = "live"
        return version

    def change_status(self, action: str, actor: str = "system") -> str:
        self.status = svc.change_status(self.ctx, self.journey_id, action, actor=actor)
        return self.status
