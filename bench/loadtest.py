"""``make loadtest``: capacity under load, as a trust would run medlead (issue 20, target 6).

Builds the demo trust in its own PostgreSQL database, starts gunicorn over HTTPS with production settings (Redis as
the broker, WhiteNoise for static files), and runs locust against it: LOAD_USERS people (default 50) signing in and
reading pages for LOAD_SECONDS (default 60). Prints, as ``make bench`` does, one JSON object per line: requests a
second in all and per gunicorn worker, p50 and p95, failures, and what a sign-in costs under that load.

Locust runs on the same machine and takes CPU from the servers: the figures are a floor for a dedicated server."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = "medlead_load"
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PORT = int(os.environ.get("LOAD_PORT", "8443"))

from bench.run import emit  # noqa: E402
from tests.tls import self_signed_certificate  # noqa: E402


def main() -> None:
    import psycopg

    with psycopg.connect(f"{PG}/postgres", autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{DATABASE}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{DATABASE}"')
    folder = Path(tempfile.mkdtemp(prefix="medlead-load-"))
    base = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MEDLEAD_", "CELERY_"))}
    base["DATABASE_URL"] = f"{PG}/{DATABASE}"

    def manage(*args: str, **env: str) -> None:
        subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=base | env, check=True, capture_output=True)

    manage("migrate", "--noinput", MEDLEAD_ENV="test")
    manage("demo_trust", MEDLEAD_ENV="test")  # production settings refuse demo data, so it is loaded first
    production = base | {
        "MEDLEAD_ENV": "production",
        "SECRET_KEY": uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "CELERY_BROKER_URL": "redis://127.0.0.1:6379/12",
        "MEDLEAD_BASE_URL": f"https://127.0.0.1:{PORT}",
        "MEDLEAD_STATIC_ROOT": str(folder / "static"),
        "MEDLEAD_VAR_DIR": str(folder / "var"),
        "WEB_CONCURRENCY": str(WORKERS),
        "LOG_LEVEL": "WARNING",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    manage("collectstatic", "--noinput", **production)
    certificate, key = self_signed_certificate(folder)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "medlead.config.wsgi", "-c", "deploy/gunicorn.conf.py"),
            *("--bind", f"127.0.0.1:{PORT}", "--certfile", str(certificate), "--keyfile", str(key)),
        ],
        cwd=ROOT,
        env=production,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"https://127.0.0.1:{PORT}/healthz", verify=str(certificate), timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("-u", str(USERS), "-r", str(max(1, USERS // 10)), "-t", f"{SECONDS}s", "--only-summary"),
                *("--host", f"https://127.0.0.1:{PORT}", "--csv", str(folder / "load")),
            ],
            cwd=ROOT,
            check=False,
            capture_output=True,
        )
    finally:
        server.terminate()
        server.wait(timeout=30)
    rows = {r["Name"]: r for r in csv.DictReader((folder / "load_stats.csv").open())}
    total = rows["Aggregated"]
    rps = float(total["Requests/s"])
    emit(f"loadtest_{USERS}_users_requests_per_second", rps, "requests/s")
    emit(f"loadtest_{USERS}_users_requests_per_second_per_worker", rps / WORKERS, "requests/s")
    emit(f"loadtest_{USERS}_users_p50", float(total["50%"]), "ms")
    emit(f"loadtest_{USERS}_users_p95", float(total["95%"]), "ms")
    emit(f"loadtest_{USERS}_users_failures", int(total["Failure Count"]), "requests")
    emit(f"loadtest_{USERS}_users_requests", int(total["Request Count"]), "requests")
    if "sign in" in rows:
        emit(f"loadtest_{USERS}_users_sign_in_p95", float(rows["sign in"]["95%"]), "ms")


if __name__ == "__main__":
    main()
