"""The learning part of predictions: gradient boosting fitted on feature rows, checked on a later holdout.

Training rows are features as of a cutoff T0 labelled by "did the goal happen in (T0, T0 + horizon]"; the holdout
is the same at a later cutoff, so the figures say how the model does on a period it never saw. Too little data
is refused with a message rather than giving a poor model.
"""

from __future__ import annotations

import pickle
from dataclasses import dataclass
from typing import Any

import numpy as np
from scipy.stats import spearmanr
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.inspection import permutation_importance
from sklearn.metrics import roc_auc_score
from threadpoolctl import threadpool_limits

from journeys.errors import InvalidError

MIN_CONTACTS = 200
MIN_POSITIVES = 20
DECILES = 10
DRIVERS = 5
IMPORTANCE_ROWS = 5_000  # permutation importance on a sample of the holdout: enough to rank, fast
# One OpenMP thread: on a busy machine (the engine, the web server) spinning threads made fitting ten times
# slower in a measurement (400 rows: 4.9 s with the default threads, 0.55 s with one).
THREADS = 1
HIGH_SHARE, MEDIUM_SHARE = 0.2, 0.5  # top 20% of scores are "high", the next 30% "medium"


class TooLittleData(InvalidError):
    """Not enough contacts or conversions to learn anything worth using."""

    field = "goal"


@dataclass
class Dataset:
    """Feature rows (one per contact, columns ``names``) and whether each contact did the goal afterwards."""

    contact_ids: list[int]
    names: list[str]
    x: np.ndarray
    y: np.ndarray

    @classmethod
    def build(cls, rows: dict[int, dict[str, float]], names: list[str], positives: set[int]) -> Dataset:
        ids = sorted(rows)
        x = np.array([[rows[i][n] for n in names] for i in ids], dtype=np.float64).reshape(len(ids), len(names))
        y = np.array([1 if i in positives else 0 for i in ids], dtype=np.int8)
        return cls(ids, names, x, y)

    @classmethod
    def stack(cls, parts: list[Dataset]) -> Dataset:
        """Rows of several cutoffs together (a contact appears once per cutoff)."""
        ids = [i for part in parts for i in part.contact_ids]
        return cls(ids, parts[0].names, np.vstack([p.x for p in parts]), np.concatenate([p.y for p in parts]))


def check(data: Dataset, goal: str, part: str) -> None:
    """Refuse a training or holdout period with too few contacts, too few conversions or a single class."""
    positives = int(data.y.sum())
    negatives = len(data.y) - positives
    if len(data.y) < MIN_CONTACTS:
        raise TooLittleData(
            f"{goal}: only {len(data.y)} contacts were active in the {part} period; at least {MIN_CONTACTS} are needed"
        )
    if positives < MIN_POSITIVES or negatives < MIN_POSITIVES:
        raise TooLittleData(
            f"{goal}: {positives} of {len(data.y)} contacts did it in the {part} period; "
            f"at least {MIN_POSITIVES} who did and {MIN_POSITIVES} who did not are needed"
        )


def fit(train: Dataset, *, seed: int = 0) -> HistGradientBoostingClassifier:
    # Small trees and large leaves: behaviour is noisy, and a few months of it make few conversions per pattern.
    model = HistGradientBoostingClassifier(
        max_iter=150,
        learning_rate=0.05,
        max_leaf_nodes=7,
        min_samples_leaf=100,
        l2_regularization=1.0,
        early_stopping=False,
        random_state=seed,
    )
    with threadpool_limits(THREADS):
        model.fit(train.x, train.y)
    return model


def predict(model: HistGradientBoostingClassifier, x: np.ndarray) -> np.ndarray:
    if len(x) == 0:
        return np.zeros(0)
    with threadpool_limits(THREADS):
        return model.predict_proba(x)[:, 1]


def calibration(predicted: np.ndarray, observed: np.ndarray) -> list[dict[str, float]]:
    """Mean predicted score against the observed rate, per decile of the predicted score (lowest first)."""
    order = np.argsort(predicted, kind="stable")
    out = []
    for part in np.array_split(order, DECILES):
        if len(part):
            out.append(
                {"predicted": float(predicted[part].mean()), "observed": float(observed[part].mean()), "n": len(part)}
            )
    return out


def drivers(model: HistGradientBoostingClassifier, holdout: Dataset, *, seed: int = 0) -> list[dict[str, Any]]:
    """The features whose shuffling costs the most AUC, with the way they push the score (more / less likely)."""
    rng = np.random.default_rng(seed)
    rows = rng.choice(len(holdout.y), size=min(IMPORTANCE_ROWS, len(holdout.y)), replace=False)
    x, y = holdout.x[rows], holdout.y[rows]
    with threadpool_limits(THREADS):
        found = permutation_importance(model, x, y, scoring="roc_auc", n_repeats=3, random_state=seed)
    scores = predict(model, x)
    out = []
    for index in np.argsort(-found.importances_mean)[:DRIVERS]:
        importance = float(found.importances_mean[index])
        if importance <= 0.001:
            break
        column = np.nan_to_num(x[:, index], nan=np.nanmax(x[:, index]) if np.isfinite(x[:, index]).any() else 0.0)
        rho = spearmanr(column, scores).statistic if np.ptp(column) > 0 else 0.0
        direction = "more" if np.isfinite(rho) and rho >= 0 else "less"
        out.append({"feature": holdout.names[index], "importance": round(importance, 4), "direction": direction})
    return out


def thresholds(scores: np.ndarray) -> dict[str, float]:
    """Band thresholds: the scores above which a contact is in the top 20% (high) and top 50% (medium)."""
    if len(scores) == 0:
        return {"high": 1.0, "medium": 1.0}
    return {
        "high": float(np.quantile(scores, 1 - HIGH_SHARE)),
        "medium": float(np.quantile(scores, 1 - MEDIUM_SHARE)),
    }


@dataclass
class Trained:
    model: HistGradientBoostingClassifier
    auc: float
    report: dict[str, Any]

    def blob(self) -> bytes:
        return pickle.dumps(self.model, protocol=pickle.HIGHEST_PROTOCOL)


def train(periods: list[Dataset], holdout: Dataset, goal: str, *, seed: int = 0) -> Trained:
    """Fit on the training periods (the latest first, checked alone; earlier cutoffs add rows) and report on the
    holdout; raises TooLittleData first when it must."""
    train_set = periods[0]
    check(train_set, goal, "training")
    check(holdout, goal, "holdout")
    model = fit(Dataset.stack(periods), seed=seed)
    predicted = predict(model, holdout.x)
    auc = float(roc_auc_score(holdout.y, predicted))
    report = {
        "calibration": calibration(predicted, holdout.y.astype(float)),
        "drivers": drivers(model, holdout, seed=seed),
        "thresholds": thresholds(predict(model, train_set.x)),
        "train_contacts": len(train_set.y),
        "train_positives": int(train_set.y.sum()),
        "holdout_contacts": len(holdout.y),
        "holdout_positives": int(holdout.y.sum()),
    }
    return Trained(model, auc, report)


def load(blob: bytes) -> HistGradientBoostingClassifier:
    """A stored model (written by this module into the workspace's own database)."""
    return pickle.loads(blob)  # noqa: S301 - our own rows, never user input
