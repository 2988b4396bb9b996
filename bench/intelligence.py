"""Intelligence measured against the truth: every figure of the predictions and optimisation, in one line.

    .venv/bin/python bench/intelligence.py [--seed 7]

Runs each seeded benchmark in a process of its own, on the simulators whose hidden truth is known, and
gathers their last lines:
- best time (bench/intelligence_besttime.py): open-rate lift over a fixed 10:00 send, as a share of an
  oracle's that knows each person's hidden active hours (required >= 0.7);
- scores (bench/intelligence_scores.py): holdout AUC against the AUC of the hidden propensity (within 0.05),
  training time for 1M contacts, scoring throughput;
- recommendations (bench/intelligence_reco.py): hit rate at 3 against popularity (>= 1.5 times);
- self-optimising split (bench/intelligence_split.py): regret against a fixed 50/50 split (at most half);
- forecast (bench/intelligence_forecast.py): predicted against actual messages per channel over a simulated
  week (within 15%).
Prints each part's line, then a JSON object as the last line.
"""

from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent


def run(script: str, *args: str) -> dict:
    began = time.perf_counter()
    done = subprocess.run([sys.executable, str(BENCH / script), *args], capture_output=True, text=True)
    lines = done.stdout.strip().splitlines()
    if done.returncode != 0 or not lines:
        raise SystemExit(f"{script} failed:\n{done.stderr[-2000:]}")
    result = json.loads(lines[-1])
    print(f"{script} ({time.perf_counter() - began:.0f} s): {lines[-1]}", flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    seed = str(args.seed)
    best = run("intelligence_besttime.py", "--seed", seed)
    scores = run("intelligence_scores.py", "--seed", seed)
    reco = run("intelligence_reco.py")
    split = run("intelligence_split.py")
    forecast = run("intelligence_forecast.py", "--seed", seed)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    figures = {
        "best_time_share_of_oracle": best["best_time_share_of_oracle"],
        "auc": scores["auc"],
        "oracle_auc": scores["oracle_auc"],
        "hit_rate_at_3": reco["hit_rate_at_3"],
        "popularity_hit_rate_at_3": reco["popularity_hit_rate_at_3"],
        "adaptive_regret": split["adaptive_regret"],
        "fixed_split_regret": split["fixed_split_regret"],
        "forecast_error": forecast["forecast_error"],
        "train_seconds_1m": scores["train_seconds_1m"],
        "score_contacts_per_s": scores["score_contacts_per_s"],
        "peak_rss_mb": round(peak, 1),
    }
    figures["meets"] = {
        "best_time": figures["best_time_share_of_oracle"] >= 0.7,
        "scores": figures["oracle_auc"] - figures["auc"] <= 0.05,
        "recommendations": figures["hit_rate_at_3"] >= 1.5 * figures["popularity_hit_rate_at_3"],
        "split": figures["adaptive_regret"] <= figures["fixed_split_regret"] / 2,
        "forecast": figures["forecast_error"] <= 0.15,
    }
    print(json.dumps(figures))


if __name__ == "__main__":
    main()
