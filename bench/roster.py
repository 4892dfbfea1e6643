"""``make bench-roster``: the roster generator on the Curtois–Qu instances 1–24 (../shared/benchmarks/curtois-qu/).

For each instance: the objective found within the time limit (re-scored by medlead's independent evaluator), the
proven lower bound, the best-known upper bound and the gap to it in per cent. Prints one JSON object per instance
and a Markdown table at the end. Slow: BENCH_ROSTER_SECONDS per instance (default 60), BENCH_ROSTER_INSTANCES to
choose (default 1-24), BENCH_ROSTER_WORKERS (default 8)."""

from __future__ import annotations

import csv
import json
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BENCH = Path(os.environ.get("BENCH_ROSTER_DIR", ROOT.parent / "shared" / "benchmarks" / "curtois-qu"))


def main() -> None:
    from medlead.rota.roster import parse, solve

    seconds = float(os.environ.get("BENCH_ROSTER_SECONDS", "60"))
    workers = int(os.environ.get("BENCH_ROSTER_WORKERS", "8"))
    first, _, last = os.environ.get("BENCH_ROSTER_INSTANCES", "1-24").partition("-")
    with (BENCH / "best_known.csv").open() as fh:
        best = {row["instance"]: int(row["ub_schedbench_transcribed"]) for row in csv.DictReader(fh)}
    rows = []
    for n in range(int(first), int(last or first) + 1):
        name = f"Instance{n}"
        instance = parse((BENCH / f"{name}.txt").read_text(encoding="utf-8-sig"), name=name)
        result = solve(instance, time_limit=seconds, workers=workers)
        known = best[name]
        gap = None if result.objective is None else (result.objective - known) / known * 100
        row = {
            "instance": name,
            "objective": result.objective,
            "lower_bound": None if result.lower_bound is None else round(result.lower_bound),
            "best_known": known,
            "gap_percent": None if gap is None else round(gap, 2),
            "status": result.status if result.proven else "none found in time",
            "seconds": round(result.seconds, 1),
        }
        rows.append(row)
        print(json.dumps(row), flush=True)
    print(
        f"\n| instance | objective | best known | gap % | proven lower bound | status | seconds (limit {seconds:g}) |"
    )
    print("|---|---|---|---|---|---|---|")
    for r in rows:
        print(
            f"| {r['instance']} | {r['objective']} | {r['best_known']} | {r['gap_percent']} | {r['lower_bound']} "
            f"| {r['status']} | {r['seconds']} |"
        )


if __name__ == "__main__":
    main()
