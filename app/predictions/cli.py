"""CLI of predictions: ``models train --goal EVENT [--horizon-days N]`` and ``models list``."""

from __future__ import annotations

import argparse
from datetime import UTC, datetime
from typing import Any

from app.core import context


def cmd_train(args: argparse.Namespace) -> int:
    from app.predictions import service

    result = service.train(context.init(), args.goal, args.horizon_days)
    print(f"{result.slug}: model {result.model_id}, holdout AUC {result.auc:.3f}, {result.contacts} contacts scored")
    return 0


def cmd_list(_args: argparse.Namespace) -> int:
    from app.predictions import overview

    rows = overview.goals(context.init())
    if not rows:
        print("no goals; add one with: python main.py models train --goal 'Order Completed'")
    for row in rows:
        if row.trained_at is None:
            print(f"{row.slug} ({row.event}, {row.horizon_days} days): not trained. {row.refusal}".rstrip())
            continue
        when = datetime.fromtimestamp(row.trained_at, UTC).strftime("%Y-%m-%d %H:%M UTC")
        bands = ", ".join(f"{band} {row.bands.get(band, 0)}" for band in ("high", "medium", "low"))
        print(f"{row.slug} ({row.event}, {row.horizon_days} days): AUC {row.auc:.3f}, trained {when}, {bands}")
        if row.refusal:
            print(f"  last attempt refused: {row.refusal}")
    return 0


def register(sub: Any) -> None:
    parser = sub.add_parser("models", help="conversion and churn scores: a model per goal event")
    msub = parser.add_subparsers(dest="models_command", required=True)
    train = msub.add_parser("train", help="train a goal's model now and score every contact")
    train.add_argument("--goal", required=True, help="the goal event, e.g. 'Order Completed'")
    train.add_argument("--horizon-days", type=int, default=None, help="predict the goal within N days (default 14)")
    train.set_defaults(func=cmd_train)
    msub.add_parser("list", help="goals, their models and band counts").set_defaults(func=cmd_list)
