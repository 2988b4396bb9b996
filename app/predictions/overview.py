"""What the model page and ``models list`` show per goal: the newest model's figures and the band counts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from app.core.context import AppContext
from storage import predictions as store


@dataclass
class GoalView:
    slug: str
    event: str
    horizon_days: int
    refusal: str
    trained_at: int | None = None
    auc: float = 0.0
    contacts: int = 0
    report: dict[str, Any] = field(default_factory=dict)
    bands: dict[str, int] = field(default_factory=dict)


def goals(ctx: AppContext) -> list[GoalView]:
    with ctx.db.engine.connect() as conn:
        configured, models, bands = store.goals(conn), store.latest_models(conn), store.band_counts(conn)
    out = []
    for goal in configured:
        view = GoalView(goal["slug"], goal["event"], goal["horizon_days"], goal["refusal"])
        model = models.get(goal["slug"])
        if model is not None:
            view.trained_at, view.auc, view.contacts = model["trained_at"], model["auc"], model["contacts"]
            view.report, view.bands = model["report"], bands.get(goal["slug"], {})
        out.append(view)
    return out
