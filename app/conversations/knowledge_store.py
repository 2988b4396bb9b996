"""The knowledge base as stored: read a snapshot (cached per revision), save or delete an entry, import and
export CSV. Every change is audited in its own transaction."""

from __future__ import annotations

import threading
from typing import Any

from app.access import audit
from app.conversations.knowledge import Entry, EntryError, KnowledgeBase, make_entry, parse_csv, to_csv
from app.core.context import AppContext
from journeys.errors import ConflictError, NotFoundError
from storage import faq as store

_snapshots: dict[str, KnowledgeBase] = {}
_lock = threading.Lock()


def snapshot(ctx: AppContext) -> KnowledgeBase:
    """The entries at the current revision: one small query when nothing changed since the last call."""
    with ctx.db.session() as session:
        revision = store.revision(session)
        cached = _snapshots.get(ctx.settings.database_url)
        if cached is not None and cached.revision == revision:
            return cached
        rows = store.entries(session)
    kb = KnowledgeBase(revision=revision, entries=tuple(_entry(r) for r in rows))
    with _lock:
        _snapshots[ctx.settings.database_url] = kb
    return kb


def _entry(row: dict[str, Any]) -> Entry:
    return Entry(lang=row["lang"], intent=row["intent"], questions=tuple(row["questions"]), answer=row["answer"])


def entries(ctx: AppContext) -> list[dict[str, Any]]:
    with ctx.db.session() as session:
        return store.entries(session)


def save_entry(
    ctx: AppContext,
    *,
    entry_id: int | None,
    lang: str,
    intent: str,
    questions: str | tuple[str, ...],
    answer: str,
    actor: str,
) -> int:
    """Create (``entry_id`` None) or change one entry; EntryError names a bad field, ConflictError a taken intent."""
    entry = make_entry(lang, intent, questions, answer)
    with ctx.db.session() as session:
        if entry_id is not None and store.entry(session, entry_id) is None:
            raise NotFoundError(f"entry {entry_id} does not exist")
        taken = store.find_entry(session, lang=entry.lang, intent=entry.intent)
        if taken is not None and taken != entry_id:
            raise ConflictError(f"intent: {entry.lang}/{entry.intent} already exists")
        saved = store.save_entry(session, entry_id=entry_id, values=_values(ctx, entry, actor))
        where = f"{entry.lang}/{entry.intent}"
        audit.record(ctx, actor, "faq.create" if entry_id is None else "faq.update", where, session=session)
    return saved


def delete_entry(ctx: AppContext, entry_id: int, *, actor: str) -> None:
    with ctx.db.session() as session:
        row = store.entry(session, entry_id)
        if row is None or not store.delete_entry(session, entry_id):
            raise NotFoundError(f"entry {entry_id} does not exist")
        audit.record(ctx, actor, "faq.delete", f"{row['lang']}/{row['intent']}", session=session)


def import_csv(ctx: AppContext, text: str, *, actor: str, replace: bool = False) -> tuple[int, int]:
    """Check every row first (EntryError with line and column, nothing written), then write them all in one
    transaction. Returns (created, updated)."""
    parsed = parse_csv(text)
    rows = [_values(ctx, entry, actor) for entry in parsed]
    with ctx.db.session() as session:
        created, updated = store.import_entries(session, rows=rows, replace=replace)
        details = {"created": created, "updated": updated, "replace": replace}
        audit.record(ctx, actor, "faq.import", f"{len(rows)} entries", details, session=session)
    return created, updated


def export_csv(ctx: AppContext) -> str:
    return to_csv(snapshot(ctx).entries)


def _values(ctx: AppContext, entry: Entry, actor: str) -> dict[str, Any]:
    return {
        "lang": entry.lang,
        "intent": entry.intent,
        "questions": list(entry.questions),
        "answer": entry.answer,
        "updated_at": int(ctx.clock.now().timestamp()),
        "updated_by": actor[:320],
    }


__all__ = ["EntryError", "delete_entry", "entries", "export_csv", "import_csv", "save_entry", "snapshot"]
