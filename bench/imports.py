"""A national ESR-sized people import measured honestly (issue 35, items 2 and 6; ADR 0031).

For each size (BENCH_IMPORT_ROWS, default "30000,300000") a trust that already holds the people: 96% of the size
exist before the import; the file matches 94% of its rows with them (a few by GMC number only, the staff number
missing), of which 12% change (a surname, a grade, an email), and adds 6% new people. The trust first uploads the
file with 1% of its rows wrong (a short GMC number, an unknown grade, a missing surname, a repeated staff number,
an unknown specialty), sees every error, corrects them, checks the corrected file and confirms it.

Each step runs in a fresh process, so that its peak memory growth (``ru_maxrss`` after the step less before it,
the file's bytes included) is its own: the dry run with errors, the dry run of the corrected file, and its apply
(which reuses the dry run's fingerprint), each as a worker runs it. At the smallest size the apply is measured once
more after a record changed between the dry run and the confirm, when it must plan again. Every figure is printed
beside its target, "missed" where missed. Run by ``bench/run.py`` on the benchmark's PostgreSQL database after the
demo is built, or alone with DATABASE_URL set to a migrated PostgreSQL database.
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SIZES = [int(n) for n in os.environ.get("BENCH_IMPORT_ROWS", "30000,300000").split(",") if n.strip()]
MEMORY_TARGET_MB = 100.0
# seconds, at 300,000 rows on a quiet machine (issue 35, item 2)
TIME_TARGETS = {("dry_run", 300_000): 30.0, ("apply", 300_000): 60.0}
SPECIALTIES = ["Cardiology", "Respiratory medicine", "General surgery", "Anaesthetics", "Paediatrics", "Psychiatry"]


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def figure(name: str, value: float, unit: str, limit: float | None = None) -> None:
    """One figure as a JSON line, beside its target: "met", or "missed"."""
    line: dict[str, Any] = {"name": name, "value": round(value, 3), "unit": unit}
    if limit is not None:
        line |= {"target": f"<= {limit:g} {unit}", "verdict": "met" if value <= limit else "missed"}
    print(json.dumps(line), flush=True)


def _setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medlead.config.settings")
    import django

    django.setup()


# ------------------------------------------------------------------------------------------------ the data


def person_row(i: int, *, changed: bool = False, gmc_only: bool = False) -> str:
    """Person i as a row of the file: staff number, names, GMC number, kind, grade, email, specialty."""
    staff = "" if gmc_only else f"E{i:07d}"
    last, grade, email = f"Last{i}", "consultant", f"person{i}@bench.nhs.example"
    if changed:
        which = i % 3
        last = f"Last{i}-Smith" if which == 0 else last
        grade = "specialty_doctor" if which == 1 else grade
        email = f"p{i}@moved.nhs.example" if which == 2 else email
    specialty = SPECIALTIES[i % len(SPECIALTIES)]
    return f"{staff},First{i},{last},{5000000 + i:07d},doctor,{grade},{email},{specialty}"


BROKEN = [
    lambda i: person_row(i).replace(f",{5000000 + i:07d},", f",{500000 + i % 100000:06d},"),  # a short GMC number
    lambda i: person_row(i).replace(",consultant,", ",wizard,"),  # an unknown grade
    lambda i: person_row(i).replace(f",Last{i},", ",,"),  # no surname
    lambda i: person_row(i).replace(f",{SPECIALTIES[i % len(SPECIALTIES)]}", ",Cardiolgy"),  # a specialty mistyped
]


def write_files(rows: int, folder: Path) -> tuple[Path, Path]:
    """The file with 1% of its rows wrong, and the same file corrected."""
    first = rows // 50  # people 0 .. first-1 are in the trust but not in the file (they have left)
    header = "staff_number,first_name,last_name,gmc_number,kind,grade,email,specialty"
    wrong, right = folder / f"esr_{rows}_with_errors.csv", folder / f"esr_{rows}.csv"
    with wrong.open("w") as bad, right.open("w") as good:
        bad.write(header + "\n")
        good.write(header + "\n")
        for n in range(rows):
            i = first + n
            line = person_row(i, changed=n % 100 < 12, gmc_only=n % 50 == 7)
            good.write(line + "\n")
            if n % 100 == 99 and n > 1000:
                kind = (n // 100) % 5
                # a repeated staff number: this row says it is the person 50 rows above (a row that is right)
                bad.write((line.replace(f"E{i:07d}", f"E{i - 50:07d}") if kind == 4 else BROKEN[kind](i)) + "\n")
            else:
                bad.write(line + "\n")
    return wrong, right


def setup(rows: int, folder: Path) -> dict[str, Any]:
    """A trust with 96% of the file's size already in it, its specialties, and the person who imports."""
    from django.db import connection

    from medlead.accounts.models import Role
    from medlead.core.bulk import copy_create
    from medlead.organisation.models import Division, Person, Region, Specialty, Trust
    from tests.factories import make_user

    region = Region.objects.first() or Region.objects.create(code="BENCH", name="Benchmark region")
    code = f"I{rows // 1000:03d}{os.getpid() % 1000:03d}"
    trust = Trust.objects.create(code=code, name=f"Import Benchmark {code} NHS Trust", region=region)
    lead = make_user((Role.MEDICAL_STAFFING, trust), username=f"import-bench-{code}")
    division = Division.objects.create(trust=trust, name="Medicine and surgery")
    specialties = [Specialty.objects.create(trust=trust, name=n, division=division) for n in SPECIALTIES]
    existing = rows * 96 // 100
    for start in range(0, existing, 20_000):
        people = [
            Person(
                trust=trust,
                staff_number=f"E{i:07d}",
                first_name=f"First{i}",
                last_name=f"Last{i}",
                gmc_number=f"{5000000 + i:07d}",
                kind="doctor",
                grade="consultant",
                email=f"person{i}@bench.nhs.example",
                specialty=specialties[i % len(specialties)],
            )
            for i in range(start, min(existing, start + 20_000))
        ]
        copy_create(Person, people)
    # the people have been in the trust for a while when the next extract comes: PostgreSQL's autovacuum has analysed
    # the table since, and the planner knows how many people the trust has (just after a bulk load it does not)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE organisation_person")
    wrong, right = write_files(rows, folder)
    return {"trust": trust.pk, "lead": lead.pk, "wrong": str(wrong), "right": str(right), "existing": existing}


# ------------------------------------------------------------------------------------- the steps, each alone


def step_dry_run(args: dict[str, Any], which: str) -> None:
    """The dry run as the worker runs it, its memory growth counted from before the file is read."""
    from medlead.accounts.models import User
    from medlead.imports import services as imports
    from medlead.organisation.models import Trust

    trust, lead = Trust.objects.get(pk=args["trust"]), User.objects.get(pk=args["lead"])
    before = peak_mb()
    content = Path(args[which]).read_bytes()
    started = time.perf_counter()
    summary = imports.dry_run(actor=lead, trust=trust, kind="people", filename="esr.csv", content=content, params={})
    seconds = time.perf_counter() - started
    Path(args[which] + ".summary.json").write_text(json.dumps(summary))
    print(json.dumps({"seconds": seconds, "memory": peak_mb() - before, "summary": {**summary, "changes": []}}))


def step_confirm(args: dict[str, Any], change_first: bool) -> None:
    """The checked batch, kept as the upload keeps it; if asked, someone then edits a person the file names."""
    from medlead.accounts.models import User
    from medlead.imports.models import ImportBatch
    from medlead.organisation.models import Person, Trust

    trust, lead = Trust.objects.get(pk=args["trust"]), User.objects.get(pk=args["lead"])
    summary = json.loads(Path(args["right"] + ".summary.json").read_text())
    batch = ImportBatch.objects.create(
        trust=trust,
        kind="people",
        filename="esr.csv",
        content=Path(args["right"]).read_bytes(),
        created_by=lead,
        summary=summary,
    )
    if change_first:
        person = Person.objects.get(trust=trust, staff_number=f"E{args['existing'] // 2:07d}")
        person.job_title = "Changed since the dry run"
        person.save()
    print(json.dumps({"batch": batch.pk}))


def step_apply(batch_id: int) -> None:
    """The apply as the worker runs it, its memory growth counted from before the batch (and its file) is read."""
    from medlead.imports import services as imports
    from medlead.imports.models import ImportBatch

    before = peak_mb()
    batch = ImportBatch.objects.select_related("trust", "created_by").defer("content").get(pk=batch_id)
    started = time.perf_counter()
    applied = imports.apply(batch=batch)
    seconds = time.perf_counter() - started
    assert not applied.get("failed"), applied["errors"][:3]
    print(json.dumps({"seconds": seconds, "memory": peak_mb() - before, "replanned": applied.get("replanned")}))


def _in_fresh_process(*argv: str) -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), *argv], check=True, capture_output=True, text=True
    )
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def measure(rows: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        args = _in_fresh_process("setup", str(rows), folder)
        encoded = json.dumps(args)
        figure(f"import_{rows}_rows_file", Path(args["right"]).stat().st_size / 1e6, "MB")
        figure(f"import_{rows}_rows_people_already_in_the_trust", args["existing"], "people")

        wrong = _in_fresh_process("dry_run", encoded, "wrong")
        figure(f"import_{rows}_rows_with_errors_dry_run", wrong["seconds"], "s", TIME_TARGETS.get(("dry_run", rows)))
        figure(f"import_{rows}_rows_with_errors_dry_run_peak_memory_growth", wrong["memory"], "MB", MEMORY_TARGET_MB)
        figure(f"import_{rows}_rows_with_errors_errors_reported", len(wrong["summary"]["errors"]), "errors")

        right = _in_fresh_process("dry_run", encoded, "right")
        assert not right["summary"]["errors"], right["summary"]["errors"][:3]
        for sort in ("creates", "updates", "unchanged"):
            figure(f"import_{rows}_rows_dry_run_{sort}", right["summary"][sort], "rows")
        figure(f"import_{rows}_rows_dry_run", right["seconds"], "s", TIME_TARGETS.get(("dry_run", rows)))
        figure(f"import_{rows}_rows_dry_run_peak_memory_growth", right["memory"], "MB", MEMORY_TARGET_MB)

        batch = _in_fresh_process("confirm", encoded)["batch"]
        applied = _in_fresh_process("apply", str(batch))
        assert applied["replanned"] is False, applied
        figure(f"import_{rows}_rows_apply", applied["seconds"], "s", TIME_TARGETS.get(("apply", rows)))
        figure(f"import_{rows}_rows_apply_peak_memory_growth", applied["memory"], "MB", MEMORY_TARGET_MB)

        if rows == min(SIZES):  # the apply that must plan again, in a trust of its own
            args = _in_fresh_process("setup", str(rows), folder)
            encoded = json.dumps(args)
            _in_fresh_process("dry_run", encoded, "right")
            batch = _in_fresh_process("confirm_and_change", encoded)["batch"]
            changed = _in_fresh_process("apply", str(batch))
            assert changed["replanned"] is True, changed
            figure(f"import_{rows}_rows_apply_after_a_change_planned_again", changed["seconds"], "s")
            figure(f"import_{rows}_rows_apply_after_a_change_peak_memory_growth", changed["memory"], "MB")


def main() -> None:
    if len(sys.argv) > 1:
        _setup_django()
        step, rest = sys.argv[1], sys.argv[2:]
        if step == "setup":
            print(json.dumps(setup(int(rest[0]), Path(rest[1]))))
        elif step == "dry_run":
            step_dry_run(json.loads(rest[0]), rest[1])
        elif step in ("confirm", "confirm_and_change"):
            step_confirm(json.loads(rest[0]), change_first=step == "confirm_and_change")
        elif step == "apply":
            step_apply(int(rest[0]))
        return
    print("# imports on a machine shared with other work unless said otherwise; targets from issue 35", flush=True)
    for rows in SIZES:
        measure(rows)


if __name__ == "__main__":
    main()
