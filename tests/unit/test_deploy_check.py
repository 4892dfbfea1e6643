"""`manage.py check --deploy` is clean under production settings (accepted warnings are silenced in settings.py
with their reasons beside them)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_deployment_check_passes_under_production_settings() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DJANGO_ALLOW_ASYNC_UNSAFE", "DJANGO_DEBUG")},
        "MEDLEAD_ENV": "production",
        "SECRET_KEY": "a-long-random-secret-for-the-check-only-" + "x" * 40,
        "ALLOWED_HOSTS": "medlead.example.nhs.uk",
        "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/medlead",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
