"""Queries of the FAQ bot: the knowledge base (read whole, replaced by an import, one entry saved or deleted),
its revision, and the log of the bot's decisions with the figures read from it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, insert, select, update
from sqlmodel import Session

from storage.faq_models import FaqEntry, FaqOutcome, FaqRevision

ENTRIES = FaqEntry.__table__
REVISION = FaqRevision.__table__
OUTCOMES = FaqOutcome.__table__


def revision(session: Session) -> int:
    value = session.execute(select(REVISION.c.revision).where(REVISION.c.id == 1)).scalar()
    return int(value or 0)


def _bump(session: Session) -> int:
    """Move the revision on (in the caller's transaction, with the change it stands for)."""
    done = session.execute(update(REVISION).where(REVISION.c.id == 1).values(revision=REVISION.c.revision + 1))
    if not done.rowcount:
        session.execute(insert(REVISION).values(id=1, revision=1))
    return revision(session)


def entries(session: Session) -> list[dict[str, Any]]:
    query = select(ENTRIES).order_by(ENTRIES.c.lang, ENTRIES.c.intent)
    return [dict(row._mapping) for row in session.execute(query)]


def entry(session: Session, entry_id: int) -> dict[str, Any] | None:
    row = session.execute(select(ENTRIES).where(ENTRIES.c.id == entry_id)).first()
    return None if row is None else dict(row._mapping)


def find_entry(session: Session, *, lang: str, intent: str) -> int | None:
    query = select(ENTRIES.c.id).where(ENTRIES.c.lang == lang, ENTRIES.c.intent == intent)
    return session.execute(query).scalar()


def save_entry(session: Session, *, entry_id: int | None, values: dict[str, Any]) -> int:
    """Insert (``entry_id`` None) or update one entry; ``values`` has lang, intent, questions, answer,
    updated_at, updated_by."""
    if entry_id is None:
        entry_id = int(session.execute(insert(ENTRIES).values(**values)).inserted_primary_key[0])
    else:
        session.execute(update(ENTRIES).where(ENTRIES.c.id == entry_id).values(**values))
    _bump(session)
    return entry_id


def delete_entry(session: Session, entry_id: int) -> bool:
    done = session.execute(delete(ENTRIES).where(ENTRIES.c.id == entry_id)).rowcount
    if done:
        _bump(session)
    return bool(done)


def import_entries(session: Session, *, rows: list[dict[str, Any]], replace: bool) -> tuple[int, int]:
    """Write checked rows: a (lang, intent) already there is updated, others inserted; with ``replace`` the
    entries not in ``rows`` are deleted. Returns (inserted, updated)."""
    existing = {(r["lang"], r["intent"]): r["id"] for r in entries(session)}
    keep = {(r["lang"], r["intent"]) for r in rows}
    if replace:
        gone = [entry_id for key, entry_id in existing.items() if key not in keep]
        if gone:
            session.execute(delete(ENTRIES).where(ENTRIES.c.id.in_(gone)))
    fresh = [r for r in rows if (r["lang"], r["intent"]) not in existing]
    if fresh:
        session.execute(insert(ENTRIES), fresh)
    for row in rows:
        entry_id = existing.get((row["lang"], row["intent"]))
        if entry_id is not None:
            session.execute(update(ENTRIES).where(ENTRIES.c.id == entry_id).values(**row))
    _bump(session)
    return len(fresh), len(rows) - len(fresh)


def record_outcome(session: Session, **values: Any) -> None:
    """One decision of the bot: conversation_id, contact_id, message_id, at, outcome, reason, intent, confidence."""
    session.execute(insert(OUTCOMES).values(**values))


def outcome_counts(session: Session, *, since: int) -> dict[str, int]:
    query = select(OUTCOMES.c.outcome, func.count()).where(OUTCOMES.c.at >= since).group_by(OUTCOMES.c.outcome)
    return {str(outcome): int(count) for outcome, count in session.execute(query)}


def handovers_since(session: Session, *, since: int) -> list[tuple[int, int]]:
    """(conversation id, handed over at) of each hand-over by the bot since ``since``."""
    query = (
        select(OUTCOMES.c.conversation_id, OUTCOMES.c.at)
        .where(OUTCOMES.c.outcome == "handed_over", OUTCOMES.c.at >= since)
        .order_by(OUTCOMES.c.at)
    )
    return [(int(c), int(at)) for c, at in session.execute(query)]
