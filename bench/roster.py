"""``make bench-roster``: the roster generator on the Curtois–Qu instances 1–24 (../shared/benchmarks/curtois-qu/).

For each instance: seconds to the first feasible roster, the gap to the best-known value at 10 s, 60 s and 600 s
(from one run's trace of improvements, up to its limit), the final objective re-scored by medlead's independent
evaluator, the proven lower bound where CP-SAT proves one, and whether each target was met. A roster that the
evaluator rejects is printed as REJECTED with the rules it breaks, on stderr too, and the run exits 1.

Each instance's row is also written to ``bench/results/roster.json`` (rows of earlier runs of other instances are
kept), and ``python bench/roster.py readme`` rewrites the README's table from that file: the table is never edited
by hand. BENCH_ROSTER_SECONDS per instance (default 60), BENCH_ROSTER_INSTANCES (default 1-24, or a list such as
1-12,20,24), BENCH_ROSTER_WORKERS (default 2, one per core), BENCH_ROSTER_NOTE (how the machine was: quiet or
under load; written beside the rows), BENCH_ROSTER_RESULTS (another results file, for A/B runs side by side),
BENCH_ROSTER_HINT, BENCH_ROSTER_STALL, BENCH_ROSTER_FOCUS, BENCH_ROSTER_WHOLE and BENCH_ROSTER_LOCAL (A/B knobs,
see ``run_one``)."""

from __future__ import annotations

import csv
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SHARED = next(
    (p for p in (ROOT.parent / "shared", ROOT.parent.parent / "shared") if (p / "benchmarks").is_dir()),
    ROOT.parent / "shared",
)  # ../shared beside the checkout (or beside the folder of worktrees)
BENCH = Path(os.environ.get("BENCH_ROSTER_DIR", SHARED / "benchmarks" / "curtois-qu"))
RESULTS = Path(os.environ.get("BENCH_ROSTER_RESULTS", ROOT / "bench" / "results" / "roster.json"))
README = ROOT / "README.md"
START, END = "<!-- bench-roster:start -->", "<!-- bench-roster:end -->"
CHECKPOINTS = (10, 60, 600)


def instances(spec: str) -> list[int]:
    out: list[int] = []
    for part in spec.split(","):
        first, _, last = part.strip().partition("-")
        out += range(int(first), int(last or first) + 1)
    return out


def gap(objective: int | None, known: int) -> float | None:
    return None if objective is None else round((objective - known) / known * 100, 2)


def at(trace: list[tuple[float, int]], seconds: float) -> int | None:
    """The best objective found by ``seconds`` into the run."""
    found = [cost for when, cost in trace if when <= seconds]
    return min(found) if found else None


def target(n: int, row: dict[str, Any]) -> str:
    """Issue 35's targets: 1-12 within 1% in 60 s; every instance feasible in 60 s and within 5% in 600 s."""
    missed = []
    if row["first_feasible"] is None or row["first_feasible"] > 60:
        missed.append("no roster in 60 s")
    if n <= 12 and row["limit"] >= 60 and (row["gap_60"] is None or row["gap_60"] > 1):
        missed.append("over 1% at 60 s")
    if row["limit"] >= 600 and (row["gap_600"] is None or row["gap_600"] > 5):
        missed.append("over 5% at 600 s")
    return "missed: " + ", ".join(missed) if missed else "met"


def run_one(n: int, seconds: float, workers: int, best: dict[str, int]) -> dict[str, Any]:
    from medlead.rota.roster import lns, parse, solve

    name = f"Instance{n}"
    instance = parse((BENCH / f"{name}.txt").read_text(encoding="utf-8-sig"), name=name)
    # A/B knobs (ADR 0032): BENCH_ROSTER_HINT=1/0 hints the whole model with the greedy roster or not;
    # BENCH_ROSTER_STALL=seconds hands over to the neighbourhood search after that long without improvement
    # BENCH_ROSTER_FOCUS=share of neighbourhoods centred where the penalty lies (lns.FOCUS_SHARE);
    # BENCH_ROSTER_WHOLE=1/0 the whole model or the neighbourhood search whatever the instance's size;
    # BENCH_ROSTER_LOCAL=parts between two rounds of local search (lns.LOCAL_EVERY; 0: none)
    hint = os.environ.get("BENCH_ROSTER_HINT")
    whole = os.environ.get("BENCH_ROSTER_WHOLE")
    stall = os.environ.get("BENCH_ROSTER_STALL")
    if "BENCH_ROSTER_FOCUS" in os.environ:
        lns.FOCUS_SHARE = float(os.environ["BENCH_ROSTER_FOCUS"])
    if "BENCH_ROSTER_LOCAL" in os.environ:
        lns.LOCAL_EVERY = int(os.environ["BENCH_ROSTER_LOCAL"])
    result = solve(
        instance,
        time_limit=seconds,
        workers=workers,
        hint_whole=None if hint is None else hint == "1",
        whole_model=None if whole is None else whole == "1",
        stall=None if stall is None else float(stall),
    )
    known = best[name]
    row: dict[str, Any] = {
        "instance": name,
        "limit": seconds,
        "best_known": known,
        "first_feasible": None if result.first_feasible is None else round(result.first_feasible, 1),
        "objective": result.objective,
        "gap_percent": gap(result.objective, known),
        "lower_bound": None if result.lower_bound is None else round(result.lower_bound),
        "status": result.status,
        "seconds": round(result.seconds, 1),
    }
    for point in CHECKPOINTS:
        row[f"gap_{point}"] = gap(at(result.trace, point), known) if point <= seconds else None
    if result.status == "rejected":
        assert result.evaluation is not None
        row["rejected"] = result.evaluation.hard[:10]
        sys.stderr.write(
            f"\n*** {name}: the search's roster was REJECTED by the independent evaluator "
            f"({len(result.evaluation.hard)} broken rules) ***\n" + "".join(f"    {h}\n" for h in row["rejected"])
        )
    elif result.status == "infeasible":
        row["status"] = "infeasible (proven)" if result.proven else f"none found in {seconds:g} s"
    row["target"] = target(n, row)
    return row


def table(rows: list[dict[str, Any]]) -> str:
    def cell(v: Any) -> str:
        return "–" if v is None else str(v)

    lines = [
        "| instance | limit s | first feasible s | gap % at 10 s | at 60 s | at 600 s | objective | best known "
        "| proven lower bound | status | target | measured |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        status = "**REJECTED by the evaluator**" if r["status"] == "rejected" else r["status"]
        lines.append(
            f"| {r['instance']} | {r['limit']:g} | {cell(r['first_feasible'])} | {cell(r['gap_10'])} "
            f"| {cell(r['gap_60'])} | {cell(r['gap_600'])} | {cell(r['objective'])} | {r['best_known']} "
            f"| {cell(r['lower_bound'])} | {status} | {r['target']} | {r.get('measured', '')} |"
        )
    return "\n".join(lines)


def load() -> dict[str, dict[str, Any]]:
    return json.loads(RESULTS.read_text("utf-8")) if RESULTS.exists() else {}


def ordered(saved: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(saved.values(), key=lambda r: (int(r["instance"].removeprefix("Instance")), r["limit"]))


def readme() -> None:
    """Rewrite the README's table between its markers from bench/results/roster.json."""
    text = README.read_text("utf-8")
    if START not in text or END not in text:
        sys.exit(f"README.md has no {START} ... {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    README.write_text(f"{head}{START}\n{table(ordered(load()))}\n{END}{tail}", "utf-8")
    print(f"README.md: roster table rewritten from {RESULTS.relative_to(ROOT)}")


def main() -> None:
    if sys.argv[1:] == ["readme"]:
        readme()
        return
    seconds = float(os.environ.get("BENCH_ROSTER_SECONDS", "60"))
    workers = int(os.environ.get("BENCH_ROSTER_WORKERS", "2"))
    note = os.environ.get("BENCH_ROSTER_NOTE", "")
    with (BENCH / "best_known.csv").open() as fh:
        best = {row["instance"]: int(row["ub_schedbench_transcribed"]) for row in csv.DictReader(fh)}
    saved = load()
    rows = []
    for n in instances(os.environ.get("BENCH_ROSTER_INSTANCES", "1-24")):
        row = run_one(n, seconds, workers, best)
        row["measured"] = f"{time.strftime('%Y-%m-%d')}, {workers} workers{', ' + note if note else ''}"
        rows.append(row)
        print(json.dumps(row), flush=True)
        saved[f"{row['instance']}@{seconds:g}"] = row
        RESULTS.parent.mkdir(exist_ok=True)
        RESULTS.write_text(json.dumps(saved, indent=1) + "\n", "utf-8")
    print()
    print(table(rows))
    rejected = [r["instance"] for r in rows if r["status"] == "rejected"]
    if rejected:
        sys.stderr.write(f"\nREJECTED by the independent evaluator: {', '.join(rejected)}\n")
        sys.exit(1)


if __name__ == "__main__":
    main()
