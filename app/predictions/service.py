"""Predictions as use cases: add a goal, train its model on a time-based split, score every contact.

Training as of ``now`` with a horizon of H days: the model learns from features as of ``now - 2H`` labelled by
the goal in the next H days, and is checked on features as of ``now - H`` labelled by the goal up to ``now``
(the holdout). The checked model then scores every contact on features as of ``now``. The runtime retrains
every goal nightly (app/core/runtime.py); ``python main.py models train|list`` does it by hand.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from app.core import wakeup
from app.core.context import AppContext
from app.predictions import model as learning
from journeys import predictions as core
from journeys.errors import InvalidError, NotFoundError
from storage import prediction_features as features
from storage import predictions as store
from storage import segments as segment_store
from storage.segment_members import refresh_memberships

log = logging.getLogger("parcours.predictions")

MAX_HORIZON_DAYS = 90
DEFAULT_HORIZON_DAYS = 14
EVENT_TYPES = 12  # the commonest event names counted as features
EARLIER_CUTOFF_DAYS = (0, 7, 14)  # training cutoffs before T0: more rows of the same behaviour
SCORE_CHUNK = 20_000


@dataclass(frozen=True)
class Result:
    slug: str
    model_id: int
    auc: float
    contacts: int


def check_goal(event: str, horizon_days: int) -> str:
    """The goal's slug; refuses an empty or too long event name and a horizon outside 1 to 90 days."""
    name = (event or "").strip()
    if not name or len(name) > 200:
        raise InvalidError("goal: give the goal event's name (up to 200 characters)")
    if not 1 <= horizon_days <= MAX_HORIZON_DAYS:
        raise InvalidError(f"horizon_days: must be from 1 to {MAX_HORIZON_DAYS}")
    found = core.slug(name)
    if not found:
        raise InvalidError("goal: the event name needs at least one letter or digit")
    return found


def add_goal(ctx: AppContext, event: str, horizon_days: int = DEFAULT_HORIZON_DAYS) -> str:
    slug = check_goal(event, horizon_days)
    now = int(ctx.clock.now().timestamp())
    with ctx.db.engine.begin() as conn:
        store.save_goal(conn, slug=slug, event=event.strip(), horizon_days=horizon_days, now=now)
    return slug


def _dataset(conn: Any, event: str, cutoff: datetime, horizon: timedelta, names: list[str]) -> learning.Dataset:
    counted = [n.split(":", 1)[1] for n in names if n.startswith("count_7:")]
    ids = features.contacts_with_events(conn, cutoff)
    rows = features.features(conn, cutoff, counted, ids)
    return learning.Dataset.build(rows, names, features.converted(conn, event, cutoff, cutoff + horizon))


def datasets(ctx: AppContext, event: str, horizon_days: int) -> tuple[list[learning.Dataset], learning.Dataset]:
    """The training sets of a goal as of the clock's now (cutoff T0 = now - 2 horizons, then a week and two weeks
    earlier for more rows, every label still before the holdout) and the holdout set (cutoff now - 1 horizon)."""
    now, horizon = ctx.clock.now(), timedelta(days=horizon_days)
    holdout_at, train_at = now - horizon, now - 2 * horizon
    with ctx.db.engine.connect() as conn:
        names = features.feature_names(features.top_events(conn, train_at, limit=EVENT_TYPES))
        periods = [_dataset(conn, event, train_at - timedelta(days=d), horizon, names) for d in EARLIER_CUTOFF_DAYS]
        return periods, _dataset(conn, event, holdout_at, horizon, names)


def train(ctx: AppContext, event: str, horizon_days: int | None = None, *, seed: int = 0) -> Result:
    """Train, check and store a goal's model, then score every contact. Too little data raises TooLittleData
    (the refusal is kept on the goal for the model page) and stores nothing else."""
    with ctx.db.engine.connect() as conn:
        known = store.goal(conn, core.slug(event))
    goal_event = known["event"] if known else event.strip()
    horizon = horizon_days or (known["horizon_days"] if known else DEFAULT_HORIZON_DAYS)
    slug = add_goal(ctx, goal_event, horizon)
    now = int(ctx.clock.now().timestamp())
    periods, holdout = datasets(ctx, goal_event, horizon)
    train_set = periods[0]
    try:
        trained = learning.train(periods, holdout, goal_event, seed=seed)
    except learning.TooLittleData as exc:
        with ctx.db.engine.begin() as conn:
            store.note_attempt(conn, slug, now=now, refusal=str(exc))
        raise
    report = {**trained.report, "names": train_set.names, "event": goal_event}
    values = {
        "goal_slug": slug,
        "trained_at": now,
        "horizon_days": horizon,
        "contacts": len(train_set.y),
        "positives": int(train_set.y.sum()),
        "auc": trained.auc,
        "report": report,
        "blob": trained.blob(),
    }
    with ctx.db.engine.begin() as conn:
        model_id = store.save_model(conn, values=values)
        store.note_attempt(conn, slug, now=now, refusal="")
    contacts = score(ctx, slug)
    return Result(slug, model_id, trained.auc, contacts)


def score(ctx: AppContext, slug: str) -> int:
    """Score every contact with the goal's newest model; the goal's scores are replaced in one transaction."""
    with ctx.db.engine.connect() as conn:
        found = store.latest_models(conn, with_blob=True).get(slug)
    if found is None:
        raise NotFoundError(f"goal: no model trained for {slug!r}")
    fitted = learning.load(found["blob"])
    names, thresholds = found["report"]["names"], found["report"]["thresholds"]
    counted = [n.split(":", 1)[1] for n in names if n.startswith("count_7:")]
    now = ctx.clock.now()
    at = int(now.timestamp())
    rows: list[dict[str, Any]] = []
    with ctx.db.engine.connect() as conn:
        ids = features.all_contacts(conn)
        for start in range(0, len(ids), SCORE_CHUNK):
            part = features.features(conn, now, counted, ids[start : start + SCORE_CHUNK])
            data = learning.Dataset.build(part, names, set())
            for contact_id, value in zip(data.contact_ids, learning.predict(fitted, data.x), strict=True):
                value = float(value)
                band = core.band(value, thresholds)
                rows.append(
                    {"contact_id": contact_id, "model_id": found["id"], "score": value, "band": band, "scored_at": at}
                )
    with ctx.db.engine.begin() as conn:
        store.replace_scores(conn, slug, rows)
    _refresh_segments(ctx, slug)
    return len(rows)


def _refresh_segments(ctx: AppContext, slug: str) -> None:
    """Segments reading this goal's scores follow the new scores at once (segment-entry journeys start)."""
    with ctx.db.session() as session:
        names = {n for n, tree in segment_store.saved_conditions(session).items() if slug in core.goals_read(tree)}
        result = refresh_memberships(session, now=ctx.clock.now(), names=names) if names else None
    if result is not None and result.entered:
        wakeup.events_arrived()


def retrain_all(ctx: AppContext) -> dict[str, str]:
    """Nightly: every configured goal retrained and rescored; a goal with too little data keeps its message."""
    with ctx.db.engine.connect() as conn:
        configured = store.goals(conn)
    done: dict[str, str] = {}
    for goal in configured:
        try:
            result = train(ctx, goal["event"], goal["horizon_days"])
            done[goal["slug"]] = f"AUC {result.auc:.3f}, {result.contacts} contacts scored"
        except learning.TooLittleData as exc:
            done[goal["slug"]] = str(exc)
    for slug, outcome in done.items():
        log.info("predictions %s: %s", slug, outcome)
    return done
