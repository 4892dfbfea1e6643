"""medlead benchmarks: prints one JSON object per line, {"name": ..., "value": ..., "unit": ...}.

Runs against a PostgreSQL database that it recreates (BENCH_DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/medlead_bench). Figures, not pass/fail: targets are read by people.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
DB_URL = os.environ.get("BENCH_DATABASE_URL", "postgres://postgres@127.0.0.1:5432/medlead_bench")
REQUESTS = int(os.environ.get("BENCH_REQUESTS", "40"))
TRUSTS = int(os.environ.get("BENCH_TRUSTS", "50"))


from bench.pages import PDF_TARGET_MS, target  # noqa: E402 (after the path above)


def emit(name: str, value: float, unit: str) -> None:
    print(json.dumps({"name": name, "value": round(value, 3), "unit": unit}), flush=True)


def recreate_database() -> None:
    import psycopg

    name = DB_URL.rsplit("/", 1)[1]
    admin_url = DB_URL.rsplit("/", 1)[0] + "/postgres"
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')


def measure(client: Any, url: str, label: str, suffix: str) -> None:
    from bench.pages import timed

    status, queries, p50, p95, _ = timed(client, url, REQUESTS)
    assert status == 200, (url, status)
    emit(f"{label}_queries_{suffix}", queries, "queries")
    emit(f"{label}_p50_{suffix}", p50, "ms")
    emit(f"{label}_p95_{suffix}", p95, "ms")


def main() -> None:
    recreate_database()
    os.environ["DATABASE_URL"] = DB_URL
    os.environ["MEDLEAD_ENV"] = "test"
    # the cache a deployment shares (Redis), so that a kept page's figures include its round trips (core.kept)
    os.environ.setdefault("MEDLEAD_CACHE_URL", "redis://127.0.0.1:6379/12")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medlead.config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from medlead.accounts.models import User
    from medlead.demo.generator import generate

    call_command("migrate", verbosity=0)
    bench_spc()

    started = time.perf_counter()
    generate(trusts=1)
    one = time.perf_counter() - started
    emit("demo_generate_1_trust", one, "s")

    client = Client()
    client.force_login(User.objects.get(username="md"), backend="django.contrib.auth.backends.ModelBackend")
    pages = {
        "structure_health": "/t/DEM001/structure/health/",
        "org_chart_data": "/t/DEM001/structure/chart/data.json",
        "job_plan_dashboard": "/t/DEM001/job-plans/",
        "succession_plan": "/t/DEM001/talent/succession/",
        "talent_pipeline": "/t/DEM001/talent/pipeline/",
        "board_view": "/t/DEM001/board/",
        "floor_login_page": "/accounts/login/",
    }
    anonymous = Client()
    for label, url in pages.items():
        measure(anonymous if label.startswith("floor") else client, url, label, "1_trust")
    bench_development()
    bench_board(client)
    # after the benchmarks above have added what they add, so that 1 and 50 trusts compare the same records
    from bench import pages as every_page

    floor, small = every_page.measure("DEM001")
    every_page.report(emit, "1_trust", floor, small)

    started = time.perf_counter()
    generate(trusts=TRUSTS - 1, accounts=False)
    emit(f"demo_generate_{TRUSTS}_trusts", one + time.perf_counter() - started, "s")
    for label, url in pages.items():
        measure(anonymous if label.startswith("floor") else client, url, label, f"{TRUSTS}_trusts")
    floor, large = every_page.measure("DEM001")
    every_page.report(emit, f"{TRUSTS}_trusts", floor, large)
    every_page.growth(emit, small, large)
    bench_feedback()


def bench_spc() -> None:
    """SPC for 1,000 metrics of 60 points each (the pure module, one core), as the board's view computes them."""
    import random

    from medlead.core.spc import xmr

    rng = random.Random(1)
    import datetime as dt

    dates = [dt.date(2021 + i // 12, i % 12 + 1, 1) for i in range(60)]
    series = [[(d, rng.gauss(50, 5)) for d in dates] for _ in range(1000)]
    started = time.perf_counter()
    for s in series:
        xmr(s, improvement="up", target=55.0)
    emit("spc_1000_metrics_of_60_points", time.perf_counter() - started, "s")


def bench_board(client: Any) -> None:
    """The board report page and its PDF for the demo trust's next meeting (13 metrics with their charts)."""
    from medlead.governance.models import BoardReport

    report = BoardReport.objects.filter(status="draft").order_by("pk").first()
    assert report is not None
    measure(client, f"/t/DEM001/board/reports/{report.pk}/", "board_report", "1_trust")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = client.get(f"/t/DEM001/board/reports/{report.pk}/pdf/")
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        times.append((time.perf_counter() - started) * 1000)
    emit("board_report_pdf_p50", statistics.median(times), "ms")
    target(emit, "board_report_pdf_p50", statistics.median(times), "ms", PDF_TARGET_MS)


def bench_development() -> None:
    """A doctor's development page (gaps, suggestions) and readiness report, HTML and PDF; the suggestion
    ranking's precision@5 on the labelled set against the role-only baseline."""
    from django.test import Client

    from medlead.accounts.models import User
    from medlead.core.reference_data import read
    from medlead.development import evaluation, selectors, services
    from medlead.structure.models import PostType

    user = User.objects.get(username="doctor")
    assert user.person is not None
    services.target_role_set(actor=user, person=user.person, role=PostType.objects.get(code="medical_director"))
    doctor = Client()
    doctor.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    measure(doctor, "/t/DEM001/development/", "development_home", "1_trust")
    measure(doctor, "/t/DEM001/development/readiness/", "readiness_report", "1_trust")
    times = []
    for _ in range(5):
        started = time.perf_counter()
        response = doctor.get("/t/DEM001/development/readiness/pdf/?role=medical_director")
        times.append((time.perf_counter() - started) * 1000)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf", response.status_code
    emit("readiness_report_pdf_p50", statistics.median(times), "ms")
    target(emit, "readiness_report_pdf_p50", statistics.median(times), "ms", PDF_TARGET_MS)
    data = read("suggestion_eval.yaml")
    results = evaluation.evaluate(data["profiles"], selectors.candidates(), data["k"])
    emit("suggestions_precision_at_5", evaluation.mean([r.method for r in results]), "fraction")
    emit("suggestions_baseline_role_only_precision_at_5", evaluation.mean([r.baseline for r in results]), "fraction")


def bench_feedback() -> None:
    """360s: HTML and PDF report generation for a cycle with 30 raters; the trust view over 10,000 closed 360s."""

    from django.test import Client
    from django.utils import timezone

    from medlead.accounts.models import User
    from medlead.core import dates
    from medlead.leadership.models import CycleItemScore, FeedbackCycle, Framework, Rater, Response
    from medlead.organisation.models import Person, Trust

    trust = Trust.objects.get(code="DEM001")
    hlm = Framework.objects.get(code="hlm", trust=None)
    items = list(hlm.items.all())
    user = User.objects.get(username="doctor")
    assert user.person is not None
    cycle = FeedbackCycle.objects.create(trust=trust, subject=user.person, framework=hlm, closes_on=dates.today())
    groups = ["line_manager"] + ["peer"] * 10 + ["direct_report"] * 10 + ["other"] * 9
    raters = Rater.objects.bulk_create(
        [Rater(cycle=cycle, group="self", name="self", email="self@x.invalid", submitted_at=timezone.now())]
        + [
            Rater(
                cycle=cycle,
                group=g,
                name=f"R{n}",
                email=f"r{n}@x.invalid",
                submitted_at=timezone.now(),
                comment="Good.",
            )
            for n, g in enumerate(groups)
        ]
    )
    Response.objects.bulk_create(
        [Response(rater=r, item=i, behaviour=(r.pk + i.pk) % 4 + 1, importance=3) for r in raters for i in items]
    )
    FeedbackCycle.objects.filter(pk=cycle.pk).update(status="closed")
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    url = f"/t/DEM001/leadership/360/{cycle.pk}/report/"
    for fmt, suffix, n, kind in (("", "html", 20, "text/html"), ("pdf/", "pdf", 5, "application/pdf")):
        client.get(url + fmt)
        times = []
        for _ in range(n):
            started = time.perf_counter()
            response = client.get(url + fmt)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200 and response["Content-Type"].startswith(kind), response.status_code
        emit(f"feedback_report_{suffix}_30_raters_p50", statistics.median(times), "ms")

    subjects = list(Person.objects.filter(trust=trust, grade="consultant").values_list("pk", flat=True))
    cycles = FeedbackCycle.objects.bulk_create(
        [
            FeedbackCycle(
                trust=trust,
                subject_id=subjects[n % len(subjects)],
                framework=hlm,
                closes_on=dates.today(),
                status="closed",
            )
            for n in range(10_000)
        ],
        batch_size=2000,
    )
    CycleItemScore.objects.bulk_create(
        [
            CycleItemScore(cycle=c, item=i, others_mean=((c.pk + i.pk) % 30) / 10 + 1, respondents=8)
            for c in cycles
            for i in items
        ],
        batch_size=5000,
    )
    from medlead.leadership.selectors import trust_view

    times = []
    for _ in range(10):
        started = time.perf_counter()
        trust_view(trust=trust, framework=hlm)
        times.append((time.perf_counter() - started) * 1000)
    emit("feedback_trust_view_10000_cycles_p50", statistics.median(times), "ms")


if __name__ == "__main__":
    main()
    import subprocess

    # the pure benchmarks run in their own processes so that their memory figures are their own
    subprocess.run([sys.executable, str(ROOT / "bench" / "imports.py")], check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "rota_engine.py")], check=True)
    subprocess.run([sys.executable, str(ROOT / "bench" / "job_plans.py")], check=True)
