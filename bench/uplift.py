"""Holdout uplift: N simulated contacts through the real engine and conversion recording, 10% held out.

Usage: .venv/bin/python bench/uplift.py [--contacts 20000] [--holdout 10] [--seed 18]
The simulation sets the truth (a known extra chance to buy for those messaged, a known mean order value); the
figure says whether the 95% interval the analytics report for the incremental revenue covers it. Prints a
JSON object as its last line. The clock is moved, never waited for.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.core import context  # noqa: E402
from app.core.settings import Settings  # noqa: E402
from app.simulation.holdout import simulate  # noqa: E402
from journeys.clock import FrozenClock  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--holdout", type=int, default=10)
    parser.add_argument("--seed", type=int, default=18)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        clock = FrozenClock(datetime(2026, 1, 5, 9, 0, tzinfo=UTC))
        ctx = context.init(Settings(database_url=f"sqlite:///{Path(tmp) / 'uplift.db'}", secret="bench"), clock)
        began = time.perf_counter()
        outcome = simulate(ctx, contacts=args.contacts, holdout_percent=args.holdout, seed=args.seed)
        seconds = time.perf_counter() - began
        context.close()
    print(
        json.dumps(
            {
                "contacts": outcome.contacts,
                "treated": outcome.treated,
                "held_out": outcome.held_out,
                "true_uplift": round(outcome.true_uplift, 2),
                "estimate": round(outcome.estimate, 2),
                "interval": [round(outcome.interval[0], 2), round(outcome.interval[1], 2)],
                "uplift_interval_covers_truth": outcome.covers,
                "true_rate_uplift": outcome.true_rate_uplift,
                "rate_interval": [round(outcome.rate_interval[0], 4), round(outcome.rate_interval[1], 4)],
                "rate_interval_covers_truth": outcome.rate_covers,
                "seconds": round(seconds, 1),
            }
        )
    )


if __name__ == "__main__":
    main()
