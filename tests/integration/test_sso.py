"""Single sign-on end to end, against a real OpenID Connect provider (django-oauth-toolkit) started on 127.0.0.1 by
the tests: discovery, the authorisation-code flow, the ID token's signature, audience, issuer and expiry, and the
match to a medlead account by the provider's stable claim (issue 19)."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from medlead.accounts import sso
from medlead.accounts.models import Role, User
from medlead.core.audit import AuditEvent
from tests.factories import TrustFactory, make_user
from tests.oidc_provider.client import sign_in
from tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db(transaction=True)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_provider(*redirect_uris: str) -> tuple[subprocess.Popen[bytes], str]:
    """The provider in its own process; returns it and its issuer once its discovery document answers."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.serve", str(port), *redirect_uris],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}/o"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the test provider stopped: {process.stderr.read().decode()[-2000:]}")  # type: ignore[union-attr]
        try:
            if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                return process, issuer
        except requests.ConnectionError:
            pass
        time.sleep(0.3)
    process.kill()
    raise RuntimeError("the test provider did not start within 60 s")


@pytest.fixture(scope="module")
def provider(live_server: Any) -> Iterator[str]:
    process, issuer = start_provider(f"{live_server.url}/accounts/sso/callback/")
    yield issuer
    process.kill()
    process.wait()


@pytest.fixture
def sso_on(settings: Any, provider: str) -> str:
    settings.MEDLEAD_OIDC_ISSUER = provider
    settings.SSO_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = CLIENT_ID
    settings.OIDC_RP_CLIENT_SECRET = CLIENT_SECRET
    settings.MEDLEAD_OIDC_NAME = "the test identity provider"
    settings.AUTHENTICATION_BACKENDS = [*settings.AUTHENTICATION_BACKENDS, "medlead.accounts.sso.Backend"]
    sso._discovered.clear()
    return provider


def test_a_linked_person_signs_in_through_the_provider_and_keeps_only_medleads_roles(sso_on: str, live_server: Any):
    trust = TrustFactory()
    user = make_user((Role.DOCTOR, trust), username="ada-medlead")
    user.sso_subject = "uid-ada"
    user.save()
    session = requests.Session()

    login_page = session.get(f"{live_server.url}/accounts/login/", timeout=30)
    assert "Sign in with the test identity provider" in login_page.text

    page = sign_in(session, live_server.url, "ada")

    assert page.status_code == 200, page.text[:500]
    assert page.url.startswith(f"{live_server.url}/t/{trust.code}/")  # the doctor's one trust
    user.refresh_from_db()
    assert list(user.role_assignments.values_list("role", flat=True)) == [Role.DOCTOR]
    assert User.objects.count() == 1


def test_nobody_is_let_in_or_created_without_a_linked_account(sso_on: str, live_server: Any):
    make_user((Role.DOCTOR, TrustFactory()), username="someone-else")
    session = requests.Session()

    page = sign_in(session, live_server.url, "unlinked")

    assert page.status_code == 403
    assert "no medlead account is linked to your identity" in page.text
    assert User.objects.count() == 1
    assert session.get(f"{live_server.url}/", allow_redirects=False, timeout=30).status_code == 302  # still out


def test_first_sign_in_may_create_an_account_with_no_roles_when_the_trust_allows_it(
    sso_on: str, live_server: Any, settings: Any
):
    settings.OIDC_CREATE_USER = True

    page = sign_in(requests.Session(), live_server.url, "unlinked")

    assert page.status_code == 200, page.text[:300]
    user = User.objects.get(sso_subject="uid-unlinked")
    assert user.role_assignments.count() == 0
    assert not user.has_usable_password()
    assert user.email == "unlinked@example.nhs.uk"
    assert AuditEvent.objects.filter(model="accounts.user", object_pk=str(user.pk), action="create").exists()


@pytest.mark.parametrize(
    ("person", "reason"),
    [
        ("wrong-audience", "issued for another application"),
        ("expired", "The ID token has expired"),
    ],
)
def test_a_token_that_is_not_for_medlead_or_has_expired_is_refused_with_the_reason(
    sso_on: str, live_server: Any, person: str, reason: str
):
    user = make_user((Role.DOCTOR, TrustFactory()), username=f"medlead-{person}")
    user.sso_subject = f"uid-{person}"
    user.save()
    before = User.objects.values_list("pk", "last_login").get(pk=user.pk)

    page = sign_in(requests.Session(), live_server.url, person)

    assert page.status_code == 403
    assert reason in page.text
    assert User.objects.values_list("pk", "last_login").get(pk=user.pk) == before


def test_a_misconfigured_issuer_is_named_in_the_error(sso_on: str, live_server: Any, settings: Any):
    settings.MEDLEAD_OIDC_ISSUER = f"http://127.0.0.1:{free_port()}/nothing-here"

    page = requests.get(f"{live_server.url}/accounts/sso/", timeout=30)

    assert page.status_code == 403
    assert f"did not answer at {settings.MEDLEAD_OIDC_ISSUER}/.well-known/openid-configuration" in page.text


def test_a_provider_claiming_another_issuer_is_refused(sso_on: str, live_server: Any, settings: Any):
    settings.MEDLEAD_OIDC_ISSUER = sso_on.replace("127.0.0.1", "localhost")

    page = requests.get(f"{live_server.url}/accounts/sso/", timeout=30)

    assert page.status_code == 403
    assert "describes itself as issuer" in page.text


def test_a_replayed_callback_signs_nobody_in(sso_on: str, live_server: Any):
    page = requests.get(f"{live_server.url}/accounts/sso/callback/?code=abc&state=forged", timeout=30)

    assert page.status_code == 403
    assert "sign in again" in page.text


def test_with_local_passwords_off_only_single_sign_on_is_offered(sso_on: str, live_server: Any, settings: Any):
    make_user((Role.DOCTOR, TrustFactory()), username="pw-user")
    settings.LOCAL_PASSWORDS = False
    settings.AUTHENTICATION_BACKENDS = [b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" not in b]
    session = requests.Session()
    page = session.get(f"{live_server.url}/accounts/login/", timeout=30)
    session.cookies.set("csrftoken", "k" * 32)  # the page sets none: it has no password form

    refused = session.post(
        f"{live_server.url}/accounts/login/",
        data={"csrfmiddlewaretoken": "k" * 32, "username": "pw-user", "password": "pw-correct-horse"},
        timeout=30,
    )

    assert "Sign in with the test identity provider" in page.text
    assert 'name="password"' not in page.text
    assert "sessionid" not in session.cookies
    assert refused.status_code == 200  # answered, not refused for a missing token
    assert 'name="password"' not in refused.text
    assert session.get(f"{live_server.url}/accounts/password-reset/", timeout=30).status_code == 404


def test_without_single_sign_on_its_pages_say_so(live_server: Any):
    page = requests.get(f"{live_server.url}/accounts/sso/", timeout=30)

    assert page.status_code == 404
    assert "Single sign-on is not set up" in page.text


def test_an_administrator_links_and_unlinks_an_account_from_the_command_line_audited():
    from django.core.management import CommandError, call_command

    user = make_user((Role.DOCTOR, TrustFactory()), username="to-link")
    make_user(username="taken").__class__.objects.filter(username="taken").update(sso_subject="uid-taken")
    make_user((Role.SYSTEM_ADMIN, None), username="it")
    by = ("--by", "it", "--reason", "New starter's identity from the trust's directory.")

    call_command("sso_link", "to-link", "uid-to-link", *by)
    with pytest.raises(CommandError, match="already linked to another account"):
        call_command("sso_link", "to-link", "uid-taken", *by)
    linked = User.objects.get(pk=user.pk).sso_subject
    call_command("sso_link", "to-link", "--unlink", *by)

    assert linked == "uid-to-link"
    assert User.objects.get(pk=user.pk).sso_subject is None
    assert AuditEvent.objects.filter(model="accounts.user", object_pk=str(user.pk), action="update").count() == 2
