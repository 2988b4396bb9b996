"""Self-optimising split figure: conversions lost against always sending the best variant (regret).

A simulated stream of entrants meets variants whose true conversion rates are hidden from the optimiser (4% vs
6%, and 4% / 5% / 6%). Entrants arrive in periods; at the start of each period the allocation is recomputed
from the entrants and conversions seen so far with the real pure code (journeys/bandit.py: Thompson sampling,
10% minimum share per variant, whole percentages as the engine applies them), and each entrant takes the path
its point in [0, 1) falls in, as the split node routes a contact by its hash. The fixed split sends the same
number of entrants in equal shares. Regret is the expected number of conversions lost: for each send, the best
true rate minus the true rate of the variant sent. Seeded; the engine path itself is covered by the tests.

    .venv/bin/python bench/intelligence_split.py [--sends 20000] [--period 250] [--runs 5]

Prints a JSON object last: ``adaptive_regret`` and ``fixed_split_regret`` (summed over the cases, averaged over
the runs); the requirement is adaptive <= half of fixed.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from journeys import bandit  # noqa: E402

CASES = {"two_variants": (0.04, 0.06), "three_variants": (0.04, 0.05, 0.06)}
MIN_SHARE = 10  # percent


def stream(rates: tuple[float, ...], *, sends: int, period: int, seed: int, adaptive: bool) -> tuple[float, int]:
    """(expected conversions lost, conversions observed) over ``sends`` entrants."""
    rng = random.Random(seed)
    names = [chr(ord("A") + i) for i in range(len(rates))]
    true = dict(zip(names, rates, strict=True))
    best = max(rates)
    exposures = dict.fromkeys(names, 0)
    conversions = dict.fromkeys(names, 0)
    regret, sent = 0.0, 0
    while sent < sends:
        if adaptive:
            arms = [bandit.ArmData(n, conversions[n], exposures[n]) for n in names]
            allocation = bandit.allocate(arms, MIN_SHARE / 100, bandit.seed_for(seed, "bench", sent))
            percents = bandit.percents(allocation.shares, MIN_SHARE)
        else:
            percents = bandit.percents({n: 1 / len(names) for n in names})
        weights = [(n, percents[n]) for n in names]
        for _ in range(min(period, sends - sent)):
            name = bandit.choose(weights, rng.random())
            exposures[name] += 1
            conversions[name] += rng.random() < true[name]
            regret += best - true[name]
            sent += 1
    return regret, sum(conversions.values())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sends", type=int, default=20_000)
    parser.add_argument("--period", type=int, default=250)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    started = time.perf_counter()
    per_case = {}
    for case, rates in CASES.items():
        shape = {"sends": args.sends, "period": args.period}
        adaptive = [stream(rates, seed=s, adaptive=True, **shape) for s in range(args.runs)]
        fixed = [stream(rates, seed=s, adaptive=False, **shape) for s in range(args.runs)]
        per_case[case] = {
            "true_rates": list(rates),
            "adaptive_regret": round(sum(r for r, _ in adaptive) / args.runs, 1),
            "fixed_split_regret": round(sum(r for r, _ in fixed) / args.runs, 1),
            "adaptive_conversions": round(sum(c for _, c in adaptive) / args.runs, 1),
            "fixed_split_conversions": round(sum(c for _, c in fixed) / args.runs, 1),
        }
        print(f"{case}: {json.dumps(per_case[case])}")
    adaptive_total = round(sum(c["adaptive_regret"] for c in per_case.values()), 1)
    fixed_total = round(sum(c["fixed_split_regret"] for c in per_case.values()), 1)
    result = {
        "adaptive_regret": adaptive_total,
        "fixed_split_regret": fixed_total,
        "ratio": round(adaptive_total / fixed_total, 3) if fixed_total else None,
        "meets_half": adaptive_total <= fixed_total / 2,
        "sends_per_case": args.sends,
        "period": args.period,
        "runs": args.runs,
        "min_share_percent": MIN_SHARE,
        "cases": per_case,
        "seconds": round(time.perf_counter() - started, 1),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
