"""SQL of predictions: goals to predict, trained models (kept with their report) and each contact's score."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from storage.prediction_models import PredictionGoal, PredictionModel, PredictionScore

GOAL = PredictionGoal.__table__  # type: ignore[attr-defined]
MODEL = PredictionModel.__table__  # type: ignore[attr-defined]
SCORE = PredictionScore.__table__  # type: ignore[attr-defined]
CHUNK = 500  # SQLite caps the variables of one statement
WRITE_CHUNK = 5_000


def goals(conn: Connection) -> list[dict[str, Any]]:
    return [dict(row._mapping) for row in conn.execute(select(GOAL).order_by(GOAL.c.slug))]


def goal(conn: Connection, slug: str) -> dict[str, Any] | None:
    row = conn.execute(select(GOAL).where(GOAL.c.slug == slug)).first()
    return None if row is None else dict(row._mapping)


def save_goal(conn: Connection, *, slug: str, event: str, horizon_days: int, now: int) -> None:
    """Add a goal, or change the event and horizon of an existing one."""
    if goal(conn, slug) is None:
        conn.execute(insert(GOAL).values(slug=slug, event=event, horizon_days=horizon_days, created_at=now))
    else:
        conn.execute(update(GOAL).where(GOAL.c.slug == slug).values(event=event, horizon_days=horizon_days))


def note_attempt(conn: Connection, slug: str, *, now: int, refusal: str) -> None:
    conn.execute(update(GOAL).where(GOAL.c.slug == slug).values(attempted_at=now, refusal=refusal[:500]))


def save_model(conn: Connection, *, values: dict[str, Any]) -> int:
    return int(conn.execute(insert(MODEL).values(**values).returning(MODEL.c.id)).scalar_one())


def latest_models(conn: Connection, *, with_blob: bool = False) -> dict[str, dict[str, Any]]:
    """The newest model of each goal, by goal slug (the pickled model only when asked for)."""
    newest = select(MODEL.c.goal_slug, func.max(MODEL.c.id).label("id")).group_by(MODEL.c.goal_slug).subquery()
    columns = [c for c in MODEL.c if with_blob or c.name != "blob"]
    query = select(*columns).where(MODEL.c.id.in_(select(newest.c.id)))
    return {row.goal_slug: dict(row._mapping) for row in conn.execute(query)}


def replace_scores(conn: Connection, slug: str, rows: Sequence[dict[str, Any]]) -> None:
    """The goal's scores become ``rows`` (contact_id, model_id, score, band, scored_at), all in this transaction."""
    conn.execute(delete(SCORE).where(SCORE.c.goal_slug == slug))
    for start in range(0, len(rows), WRITE_CHUNK):
        conn.execute(insert(SCORE), [{"goal_slug": slug, **row} for row in rows[start : start + WRITE_CHUNK]])


def band_counts(conn: Connection) -> dict[str, dict[str, int]]:
    """goal slug -> band -> contacts."""
    query = select(SCORE.c.goal_slug, SCORE.c.band, func.count()).group_by(SCORE.c.goal_slug, SCORE.c.band)
    out: dict[str, dict[str, int]] = {}
    for slug, band, count in conn.execute(query):
        out.setdefault(slug, {})[band] = int(count)
    return out


def scored_goals(conn: Connection) -> set[str]:
    """Goals with a trained model (a contact of these without a score simply was not scored yet)."""
    return set(conn.execute(select(MODEL.c.goal_slug).distinct()).scalars())


def predictions_for(conn: Connection, contact_ids: Iterable[int]) -> dict[int, dict[str, dict[str, Any]]]:
    """contact id -> goal slug -> {score, band}, for the contacts asked for."""
    ids, out = list(contact_ids), {}
    for start in range(0, len(ids), CHUNK):
        query = select(SCORE.c.contact_id, SCORE.c.goal_slug, SCORE.c.score, SCORE.c.band).where(
            SCORE.c.contact_id.in_(ids[start : start + CHUNK])
        )
        for contact_id, slug, score, band in conn.execute(query):
            out.setdefault(int(contact_id), {})[slug] = {"score": float(score), "band": band}
    return out
