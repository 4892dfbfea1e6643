"""medlead as a trust runs it, proved rather than described (issue 19): two gunicorn app servers serving HTTPS with
production settings, a Celery worker and the beat scheduler, over PostgreSQL and Redis on 127.0.0.1, and the test
OpenID Connect provider. A person signs in through the provider on one server and carries on on the other; an import
is checked on one server, confirmed and applied by the worker; beat reminds an action's owner by email without
anybody running anything by hand; the logs are JSON with request ids. Then the database is backed up with
pg_dump, restored into an empty database, and medlead starts on it.

Needs PostgreSQL and Redis on 127.0.0.1 (as CI and these machines have): skipped, saying so, without them."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.integration.test_sso import free_port, start_provider
from tests.oidc_provider.client import sign_in
from tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET
from tests.tls import self_signed_certificate

ROOT = Path(__file__).resolve().parents[2]
PG = "postgres://postgres@127.0.0.1:5432"
REDIS = "redis://127.0.0.1:6379/11"  # a database of its own, so no other test's worker takes these tasks


def _services_up() -> bool:
    import psycopg
    import redis

    try:
        psycopg.connect(f"{PG}/postgres", connect_timeout=2).close()
        return bool(redis.Redis.from_url(REDIS, socket_connect_timeout=1).ping())
    except Exception:
        return False


pytestmark = [
    pytest.mark.skipif(not _services_up(), reason="needs PostgreSQL and Redis on 127.0.0.1 (as in CI)"),
    # one deployment (its Redis database is emptied when it starts) for the module, on one pytest-xdist worker
    pytest.mark.xdist_group("deployment"),
]


def _sql(database: str, query: str, *args: Any) -> list[tuple[Any, ...]]:
    import psycopg

    with psycopg.connect(f"{PG}/{database}", autocommit=True) as conn:
        cursor = conn.execute(query, args)
        return cursor.fetchall() if cursor.description else []


def _wait(what: str, ready: Callable[[], bool], seconds: float = 90) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            if ready():
                return
        except requests.RequestException:
            pass
        time.sleep(0.5)
    raise AssertionError(f"{what}: not within {seconds:.0f} s")


@dataclass
class Deployment:
    folder: Path
    database: str
    env: dict[str, str]
    servers: list[str]
    certificate: Path
    processes: dict[str, subprocess.Popen[bytes]] = field(default_factory=dict)

    def manage(self, *args: str, database: str | None = None) -> str:
        env = self.env | ({"DATABASE_URL": f"{PG}/{database}"} if database else {})
        result = subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300
        )
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        return result.stdout

    def start(self, name: str, *command: str, env: dict[str, str] | None = None) -> None:
        log = (self.folder / f"{name}.log").open("wb")
        self.processes[name] = subprocess.Popen(
            command, cwd=ROOT, env=env or self.env, stdout=log, stderr=subprocess.STDOUT
        )

    def gunicorn(self, name: str, port: int, env: dict[str, str] | None = None) -> str:
        key = self.certificate.with_name("key.pem")
        self.start(
            name,
            *(sys.executable, "-m", "gunicorn", "medlead.config.wsgi", "-c", "deploy/gunicorn.conf.py"),
            *("--bind", f"127.0.0.1:{port}", "--workers", "2", "--certfile", str(self.certificate)),
            *("--keyfile", str(key)),
            env=env,
        )
        url = f"https://127.0.0.1:{port}"
        _wait(f"{name} answers", lambda: requests.get(f"{url}/healthz", verify=self.certificate, timeout=5).ok)
        return url

    def log(self, name: str) -> str:
        return (self.folder / f"{name}.log").read_text(errors="replace")

    def stop(self) -> None:
        for process in self.processes.values():
            process.terminate()
        for process in self.processes.values():
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()


@pytest.fixture(scope="module")
def deployment(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Deployment]:
    folder = tmp_path_factory.mktemp("deployment")
    database = f"medlead_deploy_{uuid.uuid4().hex[:8]}"
    _sql("postgres", f'CREATE DATABASE "{database}"')
    import redis

    redis.Redis.from_url(REDIS).flushdb()
    ports = [free_port(), free_port()]
    servers = [f"https://127.0.0.1:{p}" for p in ports]
    provider, issuer = start_provider(*(f"{s}/accounts/sso/callback/" for s in servers))
    certificate, _ = self_signed_certificate(folder)
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "MEDLEAD_", "CELERY_", "PYTEST"))},
        "MEDLEAD_ENV": "production",
        "SECRET_KEY": "deployment-test-" + uuid.uuid4().hex * 2,
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": f"{PG}/{database}",
        "CELERY_BROKER_URL": REDIS,
        "MEDLEAD_BASE_URL": servers[0],
        "MEDLEAD_STATIC_ROOT": str(folder / "static"),
        "MEDLEAD_VAR_DIR": str(folder / "var"),
        "MEDLEAD_OIDC_ISSUER": issuer,
        "MEDLEAD_OIDC_CLIENT_ID": CLIENT_ID,
        "MEDLEAD_OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "MEDLEAD_OIDC_NAME": "the test identity provider",
        "MEDLEAD_LOCAL_PASSWORDS": "false",
        "MEDLEAD_BEAT_EVERY_SECONDS": "3",
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(folder / "mail"),
        "WEB_CONCURRENCY": "2",
    }
    deployment = Deployment(folder, database, env, servers, certificate)
    try:
        deployment.manage("migrate", "--noinput")
        deployment.manage("collectstatic", "--noinput")
        deployment.manage("shell", "-c", (ROOT / "tests/deploy/seed.py").read_text())
        for name, port in zip(("web-1", "web-2"), ports, strict=True):
            deployment.gunicorn(name, port)
        celery = (sys.executable, "-m", "celery", "-A", "medlead.config.celery")
        deployment.start("worker", *celery, "worker", "--concurrency", "2", "--without-gossip", "--without-mingle")
        deployment.start("beat", *celery, "beat", "-s", str(folder / "beat-schedule"))
        yield deployment
    finally:
        deployment.stop()
        provider.kill()
        provider.wait()
        for db in _sql("postgres", "SELECT datname FROM pg_database WHERE datname LIKE %s", f"{database}%"):
            _sql("postgres", f'DROP DATABASE IF EXISTS "{db[0]}" WITH (FORCE)')


def _browser(deployment: Deployment) -> requests.Session:
    session = requests.Session()
    session.trust_env = False  # a CA bundle named in the environment would otherwise replace this one
    session.verify = str(deployment.certificate)
    return session


def _post(session: requests.Session, url: str, certificate: Path, **kwargs: Any) -> requests.Response:
    """A form post as a browser makes it over HTTPS: with the CSRF token and the page it came from."""
    data = {"csrfmiddlewaretoken": session.cookies.get("csrftoken", ""), **kwargs.pop("data", {})}
    return session.post(url, data=data, headers={"Referer": url}, verify=certificate, timeout=60, **kwargs)


def test_both_app_servers_are_ready_and_log_json_with_request_ids(deployment: Deployment) -> None:
    for server in deployment.servers:
        response = requests.get(f"{server}/readyz", verify=deployment.certificate, timeout=10)
        assert response.json() == {
            "status": "ready",
            "checks": {"database": "ok", "migrations": "ok", "task queue": "ok", "static files": "ok"},
        }
        assert response.headers["Strict-Transport-Security"].startswith("max-age=")
    css = requests.get(f"{deployment.servers[0]}/accounts/login/", verify=deployment.certificate, timeout=10)
    hashed = re.search(r'href="(/static/[^"]+\.[0-9a-f]{12}\.css)"', css.text)
    assert hashed, "the sign-in page links no hashed stylesheet"
    static = requests.get(
        f"{deployment.servers[1]}{hashed.group(1)}",
        headers={"Accept-Encoding": "gzip"},
        verify=deployment.certificate,
        timeout=10,
    )
    assert static.status_code == 200
    assert static.headers.get("Content-Encoding") == "gzip"
    assert "max-age=315360000" in static.headers["Cache-Control"]  # WhiteNoise: hashed files cached for ever

    requests.get(
        f"{deployment.servers[1]}/readyz",
        headers={"X-Request-ID": "probe-42"},
        verify=deployment.certificate,
        timeout=10,
    )
    lines = [json.loads(line) for line in deployment.log("web-2").splitlines() if line.startswith("{")]
    probe = [line for line in lines if line.get("request_id") == "probe-42"]
    assert probe and probe[0]["path"] == "/readyz" and probe[0]["status"] == 200


def test_a_person_signs_in_through_the_provider_and_any_server_serves_them(deployment: Deployment) -> None:
    first, second = deployment.servers
    session = _browser(deployment)

    page = sign_in(session, first, "ada")

    assert page.status_code == 200 and page.url == f"{first}/t/RDP/", page.url
    assert "Deployment Test NHS Trust" in session.get(f"{second}/t/RDP/", timeout=30).text


def test_with_local_passwords_off_a_password_opens_nothing(deployment: Deployment) -> None:
    server = deployment.servers[1]
    session = _browser(deployment)
    page = session.get(f"{server}/accounts/login/", timeout=30)
    session.cookies.set("csrftoken", "k" * 32)  # the sign-in page sets none: it has no password form

    tried = _post(
        session,
        f"{server}/accounts/login/",
        deployment.certificate,
        data={"username": "staffing-lead", "password": "pw-correct-horse"},
    )

    assert tried.status_code == 200  # answered, not refused for a missing token
    assert 'name="password"' not in page.text
    assert session.get(f"{server}/t/RDP/", allow_redirects=False, timeout=30).status_code == 302


def test_a_patient_code_prober_is_refused_after_twenty_codes_whichever_server_answers(deployment: Deployment) -> None:
    # twenty code attempts from one address in fifteen minutes, then refused: counted once for the whole
    # installation (two servers of two workers each here), not once a process
    answers = [
        requests.get(
            f"{deployment.servers[n % 2]}/patient-feedback/NOT-A-CODE-{n}/", verify=deployment.certificate, timeout=30
        ).status_code
        for n in range(21)
    ]

    assert answers == [200] * 20 + [429]


def test_an_import_checked_on_one_server_is_applied_by_the_worker(deployment: Deployment) -> None:
    first, second = deployment.servers
    session = _browser(deployment)
    sign_in(session, first, "ada")
    rows = "first_name,last_name,gmc_number,kind,grade\n" + "".join(
        f"Import{i},Doctor{i},{8100000 + i},doctor,consultant\n" for i in range(25)
    )

    checked = _post(
        session,
        f"{second}/t/RDP/import/people/",
        deployment.certificate,
        files={"file": ("staff.csv", rows.encode(), "text/csv")},
    )
    assert "25 to add" in checked.text, checked.text[-3000:]
    batch = checked.url.rstrip("/").rsplit("/", 1)[1]
    _post(session, f"{first}/t/RDP/import/{batch}/confirm/", deployment.certificate)

    def applied() -> bool:
        return _sql(deployment.database, "SELECT status FROM organisation_importbatch WHERE id = %s", int(batch)) == [
            ("applied",)
        ]

    _wait("the worker applies the import", applied, seconds=120)
    count = _sql(deployment.database, "SELECT count(*) FROM organisation_person WHERE last_name LIKE 'Doctor%%'")
    assert count == [(25,)]


def test_beat_reminds_the_owner_of_an_overdue_action_without_anyone_running_it(deployment: Deployment) -> None:
    mail = deployment.folder / "mail"

    def reminded() -> bool:
        return mail.is_dir() and any(
            "An action in medlead is overdue" in f.read_text(errors="replace") for f in mail.iterdir()
        )

    _wait("beat's reminder reaches the owner's mailbox", reminded, seconds=120)
    message = next(f.read_text() for f in mail.iterdir() if "is overdue" in f.read_text())
    assert "To: action.owner@example.nhs.uk" in message
    assert "Publish the rota gaps" in message
    time.sleep(4)  # beat runs again: the owner is not reminded twice
    assert sum("is overdue" in f.read_text() for f in mail.iterdir()) == 1


def test_a_backup_restored_into_an_empty_database_runs_medlead(deployment: Deployment) -> None:
    dump = deployment.folder / "medlead.dump"
    restored = f"{deployment.database}_restored"
    audit = "SELECT count(*) FROM audit_auditevent"
    trail_before_the_dump = _sql(deployment.database, audit)[0][0]
    subprocess.run(
        ["pg_dump", "--format=custom", f"--file={dump}", f"{PG}/{deployment.database}"], check=True, timeout=300
    )
    _sql("postgres", f'CREATE DATABASE "{restored}"')
    subprocess.run(
        ["pg_restore", "--no-owner", "--exit-on-error", f"--dbname={PG}/{restored}", str(dump)],
        check=True,
        timeout=300,
    )

    deployment.manage("migrate", "--check", database=restored)  # fails if any migration were unapplied
    server = deployment.gunicorn("web-restored", free_port(), env=deployment.env | {"DATABASE_URL": f"{PG}/{restored}"})
    ready = requests.get(f"{server}/readyz", verify=deployment.certificate, timeout=10).json()
    assert ready["status"] == "ready", ready
    people = "SELECT count(*) FROM organisation_person"
    assert _sql(restored, people) == _sql(deployment.database, people)
    # the trail as it stood at the dump: the running servers go on writing to the original (reminders sent)
    trail_restored = _sql(restored, audit)[0][0]
    assert 0 < trail_before_the_dump <= trail_restored <= _sql(deployment.database, audit)[0][0]
    with pytest.raises(Exception, match="The audit trail is append-only"):
        _sql(restored, "DELETE FROM audit_auditevent")  # the audit trail's guard came back with the restore
