"""Recommendations against the truth: hit rate at 3 on held-out purchases, against the popularity baseline.

Usage: .venv/bin/python bench/intelligence_reco.py [--contacts 20000] [--seed 16]
A seeded shop population with hidden product affinities (app/simulation/shop.py) views, adds to cart and buys;
each contact's last order is held out with its whole session, the recommender (journeys/recommend.py) is
trained on the rest, and the figure is the share of held-out products among the 3 offered. Required: at least
1.5 times the popularity baseline's. Prints a JSON object as its last line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from app.simulation.shop import evaluate  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--contacts", type=int, default=20_000)
    parser.add_argument("--seed", type=int, default=16)
    args = parser.parse_args()
    began = time.perf_counter()
    outcome = evaluate(args.contacts, seed=args.seed, n=3)
    seconds = time.perf_counter() - began
    ratio = outcome["hit_rate"] / outcome["popularity_hit_rate"] if outcome["popularity_hit_rate"] else None
    print(
        json.dumps(
            {
                "contacts": args.contacts,
                "seed": args.seed,
                "held_out_purchases": outcome["cases"],
                "hit_rate_at_3": round(outcome["hit_rate"], 4),
                "popularity_hit_rate_at_3": round(outcome["popularity_hit_rate"], 4),
                "ratio": round(ratio, 2) if ratio is not None else None,
                "required_ratio": 1.5,
                "seconds": round(seconds, 2),
            }
        )
    )


if __name__ == "__main__":
    main()
