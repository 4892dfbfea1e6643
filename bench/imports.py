"""A national ESR-sized people import (issue 20, target 3): the dry run and the apply of BENCH_IMPORT_ROWS rows
(default 300,000) through the shared pipeline, each timed, with the process's peak memory growth. Run by
``bench/run.py`` in its own process, on the benchmark's PostgreSQL database after the demo is built."""

from __future__ import annotations

import os
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
ROWS = int(os.environ.get("BENCH_IMPORT_ROWS", "300000"))


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medlead.config.settings")
    import django

    django.setup()
    from bench.run import emit
    from medlead.accounts.models import Role
    from medlead.imports import services as imports
    from medlead.imports.models import ImportBatch
    from medlead.organisation.models import Region, Trust
    from tests.factories import make_user

    region = Region.objects.first() or Region.objects.create(code="BENCH", name="Benchmark region")
    trust = Trust.objects.create(code=f"IMP{os.getpid() % 10000:04d}", name="Import Benchmark NHS Trust", region=region)
    lead = make_user((Role.MEDICAL_STAFFING, trust), username=f"import-bench-{trust.code}")
    lines = ["staff_number,first_name,last_name,gmc_number,kind,grade,email"]
    lines += [
        f"E{i:07d},First{i},Last{i},{5000000 + i:07d},doctor,consultant,person{i}@bench.nhs.example"
        for i in range(ROWS)
    ]
    content = ("\n".join(lines) + "\n").encode()
    emit(f"import_file_{ROWS}_rows", len(content) / 1e6, "MB")

    before = peak_mb()
    started = time.perf_counter()
    summary = imports.dry_run(actor=lead, trust=trust, kind="people", filename="esr.csv", content=content, params={})
    emit(f"import_dry_run_{ROWS}_rows", time.perf_counter() - started, "s")
    emit(f"import_dry_run_{ROWS}_rows_peak_memory_growth", peak_mb() - before, "MB")
    assert not summary["errors"], summary["errors"][:3]

    batch = ImportBatch.objects.create(
        trust=trust, kind="people", filename="esr.csv", content=content, created_by=lead, summary=summary
    )
    before = peak_mb()
    started = time.perf_counter()
    applied = imports.apply(batch=batch)
    emit(f"import_apply_{ROWS}_rows", time.perf_counter() - started, "s")
    emit(f"import_apply_{ROWS}_rows_peak_memory_growth", peak_mb() - before, "MB")
    assert not applied.get("failed"), applied["errors"][:3]


if __name__ == "__main__":
    main()
