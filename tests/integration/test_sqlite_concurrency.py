"""The zero-setup default holds for a team (issue 29): on the SQLite file database `make run` uses, two people
confirming the same import at the same moment both get an answer (never "database is locked", never a 500), and
the import is applied once.

The confirms run in a process of their own against a new SQLite file, migrated there, with the settings' own
SQLite options (WAL, IMMEDIATE transactions, a busy timeout) and tasks inline, so each confirm also applies the
import inside its request: the most contended case."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json, threading
import django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.test import Client
from medlead.accounts.models import Role
from medlead.imports import services
from medlead.imports.models import ImportBatch
from medlead.organisation.models import Person
from tests.factories import TrustFactory, make_user

trust = TrustFactory()
hr = make_user((Role.MEDICAL_STAFFING, trust))
rows = "".join(f"Given{i},Family{i},S{i:07d},{3000000 + i},consultant\n" for i in range(300))
batch = services.check(actor=hr, trust=trust, kind="people", filename="people.csv",
                       content=("first_name,last_name,staff_number,gmc_number,grade\n" + rows).encode(), params={})
assert batch.status == "checked", batch.summary.get("errors")
barrier = threading.Barrier(2)
answers = []

def confirm():
    client = Client(raise_request_exception=False)
    client.force_login(hr, backend="django.contrib.auth.backends.ModelBackend")
    barrier.wait()
    answers.append(client.post(f"/t/{trust.code}/import/{batch.pk}/confirm/").status_code)

threads = [threading.Thread(target=confirm) for _ in range(2)]
for t in threads: t.start()
for t in threads: t.join()
from django.db import connection
with connection.cursor() as cursor:
    journal = cursor.execute("PRAGMA journal_mode").fetchone()[0]
print(json.dumps({"answers": answers, "status": ImportBatch.objects.get(pk=batch.pk).status,
                  "people": Person.objects.filter(trust=trust).count(), "journal": journal}))
"""


def test_two_simultaneous_confirms_on_sqlite_both_answer_and_import_once(tmp_path: Path) -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "MEDLEAD_ENV")},
        "DATABASE_URL": f"sqlite:///{tmp_path / 'medlead.sqlite3'}",
        "MEDLEAD_VAR_DIR": str(tmp_path / "var"),
        "CELERY_TASK_ALWAYS_EAGER": "true",
        "DJANGO_SETTINGS_MODULE": "medlead.config.settings",
        "LOG_LEVEL": "ERROR",
    }
    done = subprocess.run(
        [sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])

    assert result["journal"] == "wal"
    assert sorted(result["answers"]) == [302, 302]  # both back on the batch's page, neither a 500
    assert result["status"] == "applied"
    assert result["people"] == 300  # imported once
