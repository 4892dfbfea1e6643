"""``make loadtest``: capacity under load, as a trust would run medlead (issue 20, target 6).

Builds the demo trust in its own PostgreSQL database, starts gunicorn over HTTPS with production settings (Redis as
the broker, WhiteNoise for static files), and runs locust against it: LOAD_USERS people (default 50) signing in and
reading pages for LOAD_SECONDS (default 60). Prints, as ``make bench`` does, one JSON object per line: requests a
second in all and per gunicorn worker, p50 and p95, the p95 of the pages read (every request but the sign-ins:
issue 35's target), failures, and what a sign-in costs under that load.

Before locust, LOAD_USERS people sign in at the same moment (each a session of its own, the sign-in page read first):
how long until every one of them is signed in, against the target of 5 s (issue 35), which the password hash
decides (ADR 0033). Each figure with a target is printed beside it, marked "missed" when it misses.

Locust runs on the same machine and takes CPU from the servers: the figures are a floor for a dedicated server."""

from __future__ import annotations

import csv
import math
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from pathlib import Path

import requests
import urllib3

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PG = os.environ.get("LOAD_POSTGRES", "postgres://postgres@127.0.0.1:5432")
DATABASE = os.environ.get("LOAD_DATABASE", "medlead_load")
USERS = int(os.environ.get("LOAD_USERS", "50"))
SECONDS = int(os.environ.get("LOAD_SECONDS", "60"))
WORKERS = int(os.environ.get("LOAD_WORKERS", "2"))
PORT = int(os.environ.get("LOAD_PORT", "8443"))
PAGE_P95_TARGET_MS = 1000  # issue 35: pages at p95 within 1 s with 50 users on 2 workers
SIGN_INS_TARGET_S = 5.0  # issue 35: 50 simultaneous sign-ins all done within 5 s
ACCOUNTS = ("md", "ro", "cd", "doctor", "guardian", "hr", "ned", "chair")

from bench.run import emit  # noqa: E402
from tests.tls import self_signed_certificate  # noqa: E402


def target(name: str, value: float, unit: str, limit: float) -> None:
    """A figure beside its target, marked missed when it misses."""
    emit(name, value, unit)
    verdict = "met" if value <= limit else "MISSED"
    print(f"# {name}: {value:.0f} {unit} against a target of at most {limit:.0f} {unit}: {verdict}", flush=True)


def p95(values: list[float]) -> float:
    """The 95th percentile by nearest rank."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.95 * len(ordered)) - 1)]


def simultaneous_sign_ins(base: str, count: int) -> tuple[float, int]:
    """``count`` people sign in at the same moment: seconds until the last is signed in, and how many failed."""
    urllib3.disable_warnings(urllib3.exceptions.InsecureRequestWarning)
    sessions = []
    for n in range(count):
        session = requests.Session()
        # the load test's own self-signed certificate, on loopback, as locust's users; on each request, as a
        # session's setting gives way to REQUESTS_CA_BUNDLE
        page = session.get(f"{base}/accounts/login/", timeout=60, verify=False)
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        sessions.append((session, token.group(1) if token else "", ACCOUNTS[n % len(ACCOUNTS)]))
    start = threading.Barrier(count + 1)
    failed: list[int] = []

    def sign_in(session: requests.Session, token: str, username: str) -> None:
        start.wait()
        response = session.post(
            f"{base}/accounts/login/",
            data={"csrfmiddlewaretoken": token, "username": username, "password": "medlead-demo"},
            headers={"Referer": f"{base}/accounts/login/"},
            allow_redirects=False,
            timeout=120,
            verify=False,
        )
        if response.status_code != 302:
            failed.append(response.status_code)

    threads = [threading.Thread(target=sign_in, args=args) for args in sessions]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    return time.monotonic() - began, len(failed)


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
        # pages kept until what they show changes (ADR 0039); LOAD_KEEP_PAGES=false measures them built every time
        "MEDLEAD_KEEP_PAGES": os.environ.get("LOAD_KEEP_PAGES", "true"),
    }
    manage("collectstatic", "--noinput", **production)
    # the demo was written by a process with a cache of its own: pages kept in the servers' Redis by an earlier run
    # of this database's name must not be served
    manage("forget_kept_pages", **production)
    certificate, key = self_signed_certificate(folder)
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "medlead.config.wsgi", "-c", "deploy/gunicorn.conf.py"),
            *("--bind", f"127.0.0.1:{PORT}", "--certfile", str(certificate), "--keyfile", str(key)),
        ],
        cwd=ROOT,
        env=production,
        stdout=subprocess.DEVNULL,
        stderr=(folder / "server.log").open("w"),  # read it when requests fail
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if requests.get(f"https://127.0.0.1:{PORT}/healthz", verify=False, timeout=2).ok:
                    break
            except requests.RequestException:
                time.sleep(0.5)
        sign_ins, sign_in_failures = simultaneous_sign_ins(f"https://127.0.0.1:{PORT}", USERS)
        subprocess.run(
            [
                *(sys.executable, "-m", "locust", "-f", str(ROOT / "bench" / "locustfile.py"), "--headless"),
                *("-u", str(USERS), "-r", str(max(1, USERS // 10)), "-t", f"{SECONDS}s", "--only-summary"),
                *("--host", f"https://127.0.0.1:{PORT}", "--csv", str(folder / "load")),
            ],
            cwd=ROOT,
            env=os.environ | {"LOAD_REQUEST_TIMES": str(folder / "request_times.txt")},
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
    # the target: the p95 of every page read, the sign-ins (their password hashing) apart, from each request's time;
    # and, beside it, of the pages asked for once every user had signed in (locust's users sign in as they arrive,
    # USERS // 10 a second, and their hashing holds the workers meanwhile)
    requests_ = [line.split() for line in (folder / "request_times.txt").read_text().splitlines()]
    signed_in = max((float(start) + float(ms) / 1000 for start, sign_in, ms in requests_ if sign_in == "1"), default=0)
    pages_ms = [float(ms) for _, sign_in, ms in requests_ if sign_in == "0"]
    later_ms = [float(ms) for start, sign_in, ms in requests_ if sign_in == "0" and float(start) >= signed_in]
    if pages_ms:
        target(f"loadtest_{USERS}_users_pages_p95", p95(pages_ms), "ms", PAGE_P95_TARGET_MS)
    if later_ms:
        emit(f"loadtest_{USERS}_users_pages_p95_once_all_signed_in", p95(later_ms), "ms")
        emit(f"loadtest_{USERS}_users_pages_once_all_signed_in", len(later_ms), "requests")
    pages = [r for name, r in rows.items() if name not in ("Aggregated", "sign in", "sign-in page")]
    if pages:  # the page whose own p95 is the worst; few requests each, so nearly their slowest
        worst = max(pages, key=lambda r: float(r["95%"]))
        emit(f"loadtest_{USERS}_users_worst_page_p95", float(worst["95%"]), "ms")
        print(f"# the worst page's p95 is {worst['Name']}'s, of {worst['Request Count']} requests", flush=True)
    target(f"loadtest_{USERS}_simultaneous_sign_ins_all_done", sign_ins, "s", SIGN_INS_TARGET_S)
    emit(f"loadtest_{USERS}_simultaneous_sign_ins_failed", sign_in_failures, "sign-ins")
    emit(f"loadtest_{USERS}_users_failures", int(total["Failure Count"]), "requests")
    emit(f"loadtest_{USERS}_users_requests", int(total["Request Count"]), "requests")
    if "sign in" in rows:
        emit(f"loadtest_{USERS}_users_sign_in_p95", float(rows["sign in"]["95%"]), "ms")
    if int(total["Failure Count"]):
        print(f"# FAILED requests: see {folder / 'load_failures.csv'} and the server's log {folder / 'server.log'}")


if __name__ == "__main__":
    main()
