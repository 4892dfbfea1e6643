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
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
        "MEDLEAD_BASE_URL": "https://medlead.example.nhs.uk",
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


def test_production_names_every_missing_setting_at_once() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("SECRET_KEY", "DATABASE_URL", "CELERY_BROKER_URL")},
        "MEDLEAD_ENV": "production",
        "ALLOWED_HOSTS": "medlead.example.nhs.uk",
        "MEDLEAD_BASE_URL": "https://medlead.example.nhs.uk",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "needs these environment variables, which are not set: SECRET_KEY, DATABASE_URL, CELERY_BROKER_URL" in (
        result.stderr
    )


def test_single_sign_on_without_its_client_says_what_is_missing() -> None:
    env = {**os.environ, "MEDLEAD_OIDC_ISSUER": "https://idp.example.nhs.uk", "MEDLEAD_OIDC_CLIENT_ID": "medlead"}
    env.pop("MEDLEAD_OIDC_CLIENT_SECRET", None)
    result = subprocess.run(
        [sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode != 0
    assert "MEDLEAD_OIDC_ISSUER is set, so MEDLEAD_OIDC_CLIENT_SECRET must be set too" in result.stderr
