"""The SQL reading of a ``predicted`` segment condition: a contact's stored score or band for a goal.

A contact without a score (no model for the goal, or not scored yet) never matches, as in the Python evaluator.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import exists, literal, select

from journeys import conditions as c
from storage.models import Contact
from storage.prediction_models import PredictionScore

SCORE = PredictionScore.__table__  # type: ignore[attr-defined]
CONTACT = Contact.__table__  # type: ignore[attr-defined]


def predicted_predicate(condition: c.PredictedCondition) -> Any:
    where = [SCORE.c.goal_slug == literal(condition.goal), SCORE.c.contact_id == CONTACT.c.id]
    column = SCORE.c.score
    if condition.measure == "band":
        where.append(SCORE.c.band.in_(c.options_of(condition.value)))
    else:
        bound = float(condition.value)
        tests = {"gte": column >= bound, "gt": column > bound, "lt": column < bound}
        where.append(tests.get(condition.op, column <= bound))
    return exists(select(literal(1)).select_from(SCORE).where(*where))
