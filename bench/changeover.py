"""``make bench-changeover``: a region's rotation changeover on the generation queue (issue 35, item 4).

Builds CHANGEOVER_TRUSTS trusts (default 20) in a PostgreSQL database of its own, and CHANGEOVER_JOBS rotas to
generate among them (default 200): the first trust asks for a quarter of them (fifty) before anybody else asks, the
rest come from the other trusts in a shuffled order. Each rota is as the trusts' are: 8 to 16 resident doctors (some
less than full time), 8 or 13 weeks, one of the shift patterns (days, long days, twilights, nights), a doctor's
annual leave and a request not to work a day. All are queued at once, one wake-up message each, as coordinators'
clicks queue them, and served by 1, then 2, Celery workers on the generation queue (``-Q generation``), each run
from the same queue.

Each generation is SHORTENED to CHANGEOVER_SECONDS (default 2 s, against 60 s in use), so that the run fits in a
few minutes; the sizing in README.md scales the figures to the real time limit. Prints one JSON object per line,
as ``make bench`` does: drain time, each trust's wait (p50, p95, max) and the waits of the big trust and of the
others, and what the second worker gives. The machine is shared: the workers' solvers take the same two cores."""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("CHANGEOVER_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/medlead_changeover")
TRUSTS = int(os.environ.get("CHANGEOVER_TRUSTS", "20"))
JOBS = int(os.environ.get("CHANGEOVER_JOBS", "200"))
SECONDS = int(os.environ.get("CHANGEOVER_SECONDS", "2"))
WORKERS = [int(w) for w in os.environ.get("CHANGEOVER_WORKERS", "1,2").split(",")]
VAR = Path(tempfile.mkdtemp(prefix="medlead-changeover-"))

os.environ["DATABASE_URL"] = DB_URL
os.environ["MEDLEAD_ENV"] = "test"
os.environ["MEDLEAD_VAR_DIR"] = str(VAR)
os.environ["CELERY_BROKER_URL"] = "filesystem://"
os.environ.pop("CELERY_TASK_ALWAYS_EAGER", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medlead.config.settings")

from bench.run import emit  # noqa: E402


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def build() -> list[int]:
    """The trusts, their doctors and rotas with their plans; the plans' ids in the order they are asked for."""
    from medlead.demo.generator import DEMO
    from medlead.organisation.models import Grade, Person, Region, StaffKind, Trust
    from medlead.rota import generation
    from medlead.rota.models import AbsenceReason, Rota, RotaMember

    rng = random.Random(35)
    region = Region.objects.create(name="Changeover region")
    trusts = [
        Trust.objects.create(code=f"CH{i:02d}", name=f"Changeover trust {i}", region=region) for i in range(TRUSTS)
    ]
    big = JOBS // 4
    counts = [big] + [
        (JOBS - big) // (TRUSTS - 1) + (1 if i < (JOBS - big) % (TRUSTS - 1) else 0) for i in range(TRUSTS - 1)
    ]
    monday = dt.date(2027, 8, 2)  # the August changeover
    plans: dict[int, list[int]] = {}
    serial = 0
    for trust, count in zip(trusts, counts, strict=True):
        plans[trust.pk] = []
        for r in range(count):
            size = rng.randint(8, 16)
            grade = rng.choice([Grade.FOUNDATION, Grade.CORE_TRAINEE, Grade.SPECIALTY_REGISTRAR])
            team = []
            for d in range(size):
                serial += 1
                team.append(
                    Person.objects.create(
                        trust=trust,
                        kind=StaffKind.DOCTOR,
                        first_name=f"Doctor{d}",
                        last_name=f"Rota{r}",
                        gmc_number=f"{6000000 + serial:07d}",
                        staff_number=f"C{serial:07d}",
                        grade=grade,
                        ltft_fraction=rng.choice([1, 1, 1, 1, 0.8, 0.6]),
                    )
                )
            rota = Rota.objects.create(trust=trust, name=f"Rota {r + 1}")
            RotaMember.objects.bulk_create([RotaMember(trust=trust, rota=rota, person=p) for p in team])
            plan = generation.plan_save(
                actor=DEMO,
                rota=rota,
                starts_on=monday,
                weeks=rng.choice([8, 13]),
                template=rng.choice(sorted(generation.templates())),
            )
            generation.absence_add(
                actor=DEMO,
                plan=plan,
                person=team[0],
                starts_on=monday + dt.timedelta(weeks=3),
                ends_on=monday + dt.timedelta(weeks=3, days=4),
                reason=AbsenceReason.ANNUAL,
            )
            generation.request_add(
                actor=DEMO,
                plan=plan,
                person=team[1],
                on=monday + dt.timedelta(days=12),
                shift="",
                wants="off",
                weight=5,
            )
            plans[trust.pk].append(plan.pk)
    first = plans.pop(trusts[0].pk)
    rest = [pk for ids in plans.values() for pk in ids]
    rng.shuffle(rest)
    return first + rest


def run(order: list[int], workers: int) -> dict[str, Any]:
    """Queue every plan at once, in ``order``, and let ``workers`` workers drain the queue."""
    from django.db.models import F

    from medlead.core import dates
    from medlead.core.heartbeat import Heartbeat
    from medlead.rota.models import Duty, PlanStatus, RosterPlan
    from medlead.rota.tasks import generate_next

    Duty.objects.all().delete()
    Heartbeat.objects.all().delete()
    start = dates.now()
    for i, pk in enumerate(order):  # asked for a millisecond apart, in this order
        RosterPlan.objects.filter(pk=pk).update(
            status=PlanStatus.QUEUED,
            updated_at=start + dt.timedelta(milliseconds=i),
            started_at=None,
            result={},
            time_limit=SECONDS,
        )
    for _ in order:
        generate_next.delay()
    command = [
        *(sys.executable, "-m", "celery", "-A", "medlead.config.celery", "worker", "-Q", "generation"),
        *("--pool", "solo", "--prefetch-multiplier", "1", "--without-gossip", "--without-mingle"),
        *("--loglevel", "WARNING"),
    ]
    began = time.monotonic()
    processes = [
        subprocess.Popen([*command, "-n", f"generation{n}@%h"], cwd=ROOT, stdout=subprocess.DEVNULL)
        for n in range(workers)
    ]
    try:
        while RosterPlan.objects.filter(status__in=[PlanStatus.QUEUED, PlanStatus.SOLVING]).exists():
            time.sleep(0.5)
        drained = time.monotonic() - began
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=60)
    rows = list(
        RosterPlan.objects.filter(pk__in=order)
        .annotate(waited=F("started_at") - F("updated_at"))
        .values("pk", "trust_id", "waited", "status", "result")
    )
    return {"drained": drained, "rows": rows}


def report(label: str, outcome: dict[str, Any], big_trust: int) -> None:
    rows = outcome["rows"]
    emit(f"changeover_{label}_drain", outcome["drained"], "s")
    emit(f"changeover_{label}_generated", sum(1 for r in rows if r["status"] == "done"), "rotas")
    emit(f"changeover_{label}_no_rota_in_time", sum(1 for r in rows if r["status"] != "done"), "rotas")
    per_trust: dict[int, list[float]] = {}
    for row in rows:
        per_trust.setdefault(row["trust_id"], []).append(row["waited"].total_seconds())
    everyone = [w for waits in per_trust.values() for w in waits]
    others = [w for trust, waits in per_trust.items() if trust != big_trust for w in waits]
    for name, waits in (("all", everyone), ("big_trust", per_trust[big_trust]), ("other_trusts", others)):
        emit(f"changeover_{label}_wait_{name}_p50", statistics.median(waits), "s")
        emit(f"changeover_{label}_wait_{name}_p95", percentile(waits, 0.95), "s")
        emit(f"changeover_{label}_wait_{name}_max", max(waits), "s")
    for n, trust in enumerate(sorted(per_trust), start=1):
        waits = per_trust[trust]
        print(
            f"  {label} trust {n:2d} ({len(waits):2d} rotas): wait p50 {statistics.median(waits):6.1f} s,"
            f" p95 {percentile(waits, 0.95):6.1f} s, max {max(waits):6.1f} s",
            flush=True,
        )


def main() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    with psycopg.connect(DB_URL.rsplit("/", 1)[0] + "/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    built = time.monotonic()
    order = build()
    print(
        f"# {len(order)} rota generations across {TRUSTS} trusts built in {time.monotonic() - built:.0f} s;"
        f" each generation shortened to {SECONDS} s (60 s in use)",
        flush=True,
    )
    from medlead.rota.models import RosterPlan

    big_trust = RosterPlan.objects.get(pk=order[0]).trust_id
    drains = {}
    for workers in WORKERS:
        outcome = run(order, workers)
        drains[workers] = outcome["drained"]
        report(f"{workers}_workers", outcome, big_trust)
    if 1 in drains and 2 in drains:
        emit("changeover_second_worker_speedup", drains[1] / drains[2], "times")
    per_job = drains[min(drains)] * min(drains) / len(order)
    emit("changeover_seconds_per_generation_per_worker", per_job, "s")
    emit("changeover_overhead_per_generation", per_job - SECONDS, "s")


if __name__ == "__main__":
    main()
