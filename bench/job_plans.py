"""Job-plan benchmark: PA computation and every check for 60,000 consultants' plans (pure, one core).

Prints JSON lines: job_plans_checked, job_plan_check_seconds, job_plans_per_s. BENCH_JOB_PLANS changes the count.
"""

from __future__ import annotations

import json
import os
import random
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from medlead.jobplans.pa import Activity, Category, Policy, PostShare, check


def plan(rng: random.Random) -> tuple[list[Activity], list[PostShare]]:
    items = []
    for i in range(10):
        day, half = divmod(i, 2)
        cat = Category.SPA if i < 2 else Category.DCC
        start = 9 * 60 if half == 0 else 13 * 60
        items.append(Activity(cat, f"Session {i}", day, start, start + 240, id=i))
    if rng.random() < 0.3:
        items.append(Activity(Category.DCC, "Evening list", rng.randrange(5), 18 * 60, 21 * 60, every_n_weeks=2, id=10))
    posts = []
    if rng.random() < 0.15:
        items.append(Activity(Category.ANR, "Clinical director", annual_hours=Decimal("336"), post_id=1, id=11))
        posts.append(PostShare(1, "Clinical director", Decimal("2"), 1))
    return items, posts


def main() -> None:
    n = int(os.environ.get("BENCH_JOB_PLANS", "60000"))
    rng = random.Random(3)
    plans = [plan(rng) for _ in range(n)]
    policy = Policy()
    started = time.perf_counter()
    findings = sum(len(check(items, policy, contracted_pas=Decimal("10"), posts=posts)) for items, posts in plans)
    seconds = time.perf_counter() - started
    for name, value, unit in (
        ("job_plans_checked", n, "plans"),
        ("job_plan_check_seconds", seconds, "s"),
        ("job_plans_per_s", n / seconds, "plans/s"),
        ("job_plan_findings", findings, "findings"),
    ):
        print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}), flush=True)


if __name__ == "__main__":
    main()
