"""Single sign-on end to end, against a real OpenID Connect provider (django-oauth-toolkit) started on 127.0.0.1 by
the tests: discovery, the authorisation-code flow, the ID token's signature, audience, issuer and expiry, and the
match to a medlead account by the provider's stable claim (issue 19). Then sign-in that fails closed (issue 29,
item 7): the provider misbehaves on purpose (``tests/oidc_provider/behaviour.py``) and every answer medlead cannot
use is a plain message that leaves the session as it was."""

from __future__ import annotations

import base64
import hashlib
import logging
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
import requests
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client
from django.views import debug

from medlead.accounts import sso
from medlead.accounts.models import Role, User
from medlead.core.audit import AuditEvent
from tests.factories import TrustFactory, make_user
from tests.oidc_provider.client import sign_in
from tests.oidc_provider.serve import CLIENT_ID, CLIENT_SECRET

ROOT = Path(__file__).resolve().parents[2]
# the module's provider process (the `provider` fixture) serves its tests: one on each pytest-xdist worker that runs
# any (each on a free port); transactional tests are not grouped (ADR 0029, update)
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
    misbehave(provider)  # as a careful provider behaves, until a test says otherwise
    return provider


def misbehave(issuer: str, **behaviour: Any) -> None:
    """Tell the test provider how to answer from now on (``tests/oidc_provider/behaviour.py``)."""
    requests.post(f"{issuer.removesuffix('/o')}/test/behaviour", json=behaviour, timeout=30).raise_for_status()


def linked(person: str) -> User:
    """A doctor's medlead account linked to the provider's ``person``."""
    user = make_user((Role.DOCTOR, TrustFactory()), username=f"medlead-{person}")
    user.sso_subject = f"uid-{person}"
    user.save()
    return user


def session_data(session: requests.Session) -> dict[str, Any]:
    """What medlead keeps in this browser's session (empty when it has none)."""
    key = session.cookies.get("sessionid")
    return dict(SessionStore(session_key=key).load()) if key else {}


def signed_in(session: requests.Session, live_server: Any) -> bool:
    """Whether medlead treats this browser as signed in (its sign-in page sends a signed-in person on)."""
    return session.get(f"{live_server.url}/accounts/login/", allow_redirects=False, timeout=30).status_code == 302


def test_a_linked_person_signs_in_through_the_provider_and_keeps_only_medleads_roles(sso_on: str, live_server: Any):
    trust = TrustFactory()
    user = make_user((Role.DOCTOR, trust), username="ada-medlead")
    user.sso_subject = "uid-ada"
    user.save()
    session = requests.Session()

    login_page = session.get(f"{live_server.url}/accounts/login/", params={"next": "/audit/"}, timeout=30)
    assert "Sign in with the test identity provider" in login_page.text
    assert 'href="/accounts/sso/?next=%2Faudit%2F"' in login_page.text  # a link: no form's CSP stands in the way

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


# --- Issue 29, item 7: sign-in that fails closed ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "behaviour",
    [
        {"id_token_kid": False},  # the token names no key; the one published key has a kid
        {"jwks": "no-kid"},  # the token names its key; the one published key has no kid
        {"id_token_kid": False, "jwks": "no-kid"},  # neither names a key
    ],
    ids=["token-without-kid", "key-set-without-kid", "neither-with-kid"],
)
def test_a_provider_with_one_key_need_not_name_it(sso_on: str, live_server: Any, behaviour: dict[str, Any]):
    user = linked("ada")
    misbehave(sso_on, **behaviour)
    session = requests.Session()

    page = sign_in(session, live_server.url, "ada")

    assert page.status_code == 200, page.text[:500]
    assert session_data(session)["_auth_user_id"] == str(user.pk)


def test_a_token_without_kid_is_refused_when_the_provider_publishes_several_keys(sso_on: str, live_server: Any):
    user = linked("ada")
    before = User.objects.values_list("last_login").get(pk=user.pk)
    misbehave(sso_on, id_token_kid=False, jwks="two-keys-no-kid")
    session = requests.Session()

    page = sign_in(session, live_server.url, "ada")

    assert page.status_code == 403
    assert "publishes several keys and its ID token does not say which one signed it" in page.text
    assert "You are not signed in" in page.text
    assert not signed_in(session, live_server)
    assert User.objects.values_list("last_login").get(pk=user.pk) == before


@pytest.mark.parametrize(
    ("behaviour", "accepted"),
    [
        ({"aud": ["medlead", "another-application"], "azp": "another-application"}, False),
        ({"aud": ["medlead", "another-application"]}, False),  # several audiences and no azp
        ({"azp": "another-application"}, False),  # medlead's alone, but given to another application
        ({"aud": ["medlead", "another-application"], "azp": "medlead"}, True),
    ],
    ids=["shared-given-to-another", "shared-without-azp", "azp-another", "shared-given-to-medlead"],
)
def test_a_token_shared_with_another_application_must_have_been_given_to_medlead(
    sso_on: str, live_server: Any, behaviour: dict[str, Any], accepted: bool
):
    linked("ada")
    misbehave(sso_on, **behaviour)
    session = requests.Session()

    page = sign_in(session, live_server.url, "ada")

    if accepted:
        assert page.status_code == 200, page.text[:500]
        assert signed_in(session, live_server)
    else:
        assert page.status_code == 403
        assert "does not name medlead as the application it was given to" in page.text
        assert not signed_in(session, live_server)


def test_the_sign_in_request_carries_an_s256_pkce_challenge_of_the_verifier_kept_in_the_session(
    sso_on: str, live_server: Any
):
    session = requests.Session()

    start = session.get(f"{live_server.url}/accounts/sso/", allow_redirects=False, timeout=30)

    query = parse_qs(urlsplit(start.headers["Location"]).query)
    verifier = session_data(session)["oidc_states"][query["state"][0]]["code_verifier"]
    expected = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge_method"] == ["S256"]
    assert query["code_challenge"] == [expected]
    assert len(verifier) >= 43


def test_the_provider_requires_pkce_so_a_sign_in_without_it_fails_plainly(sso_on: str, live_server: Any, settings: Any):
    linked("ada")
    settings.OIDC_USE_PKCE = False
    session = requests.Session()

    page = sign_in(session, live_server.url, "ada")

    assert page.status_code == 403
    assert "could not confirm who you are" in page.text
    assert "challenge" not in page.text.lower()  # the provider's own words are not shown
    assert not signed_in(session, live_server)


def test_a_code_exchanged_without_the_right_verifier_signs_nobody_in(sso_on: str, live_server: Any):
    linked("ada")
    session = requests.Session()

    def swap_the_verifier() -> None:
        store = SessionStore(session_key=session.cookies["sessionid"])
        states = store["oidc_states"]
        for state in states.values():
            state["code_verifier"] = "x" * 64
        store["oidc_states"] = states
        store.save()

    page = sign_in(session, live_server.url, "ada", meanwhile=swap_the_verifier)

    assert page.status_code == 403
    assert "The sign-in service answered 400" in page.text
    assert not signed_in(session, live_server)


def test_account_creation_never_takes_another_accounts_name(sso_on: str, live_server: Any, settings: Any):
    settings.OIDC_CREATE_USER = True
    make_user(username="sso-uid-unlinked")  # the name a first sign-in of "unlinked" would be given

    page = sign_in(requests.Session(), live_server.url, "unlinked")

    assert page.status_code == 403
    assert "the name it would give it is already another account" in page.text
    assert User.objects.count() == 1
    assert User.objects.get().sso_subject is None


@pytest.mark.parametrize("create_users", [True, False], ids=["creation-on", "creation-off"])
def test_a_closed_account_is_explained_and_never_replaced(
    sso_on: str, live_server: Any, settings: Any, create_users: bool
):
    settings.OIDC_CREATE_USER = create_users
    closed = linked("unlinked")
    closed.is_active = False
    closed.save()

    page = sign_in(requests.Session(), live_server.url, "unlinked")

    assert page.status_code == 403
    assert "Your medlead account has been closed" in page.text
    assert list(User.objects.values_list("username", "is_active")) == [("medlead-unlinked", False)]


@pytest.mark.parametrize(
    ("error", "message"),
    [
        ("access_denied", "did not let you in, or you chose not to continue"),
        ("x", "could not confirm who you are"),
    ],
)
def test_an_error_at_the_callback_signs_nobody_out_and_never_shows_the_links_text(
    sso_on: str, error: str, message: str
):
    user = make_user((Role.DOCTOR, TrustFactory()), username="signed-in")
    client = Client()
    client.force_login(user)
    before = dict(client.session)

    page = client.get(
        "/accounts/sso/callback/",
        {"error": error, "error_description": "Your account is suspended: call 0800 000 0000", "state": "forged"},
    )

    text = page.content.decode()
    assert page.status_code == 403
    assert message in text
    assert "0800" not in text and "suspended" not in text
    assert "You are still signed in as signed-in" in text
    assert dict(client.session) == before
    assert client.get("/accounts/logout/").status_code == 200  # the sign-out question: asked only of the signed in


def test_signing_out_ends_the_providers_session_too(sso_on: str, live_server: Any):
    linked("ada")
    session = requests.Session()
    sign_in(session, live_server.url, "ada")
    assert session_data(session)[sso.ID_TOKEN_SESSION_KEY].startswith("eyJ")  # kept for id_token_hint
    confirm = session.get(f"{live_server.url}/accounts/logout/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text)
    assert token
    # the confirmation form's answer is a redirect to the provider: the page's policy allows it
    assert f"form-action 'self' {sso_on.removesuffix('/o')}" in confirm.headers["Content-Security-Policy"]

    out = session.post(f"{live_server.url}/accounts/logout/", data={"csrfmiddlewaretoken": token.group(1)}, timeout=30)

    assert out.status_code == 200
    assert out.url == f"{live_server.url}/accounts/signed-out/"  # back from the provider's end_session_endpoint
    assert "You have signed out" in out.text
    assert any(r.url.startswith(f"{sso_on}/logout/") for r in out.history)
    assert not signed_in(session, live_server)
    # The provider asks for its password again: its own session has ended.
    again = session.get(f"{live_server.url}/accounts/sso/", timeout=30)
    assert "Sign in to the provider" in again.text


def test_without_an_end_session_endpoint_signing_out_stays_in_medlead(sso_on: str, live_server: Any):
    linked("ada")
    misbehave(sso_on, end_session=False)
    session = requests.Session()
    sign_in(session, live_server.url, "ada")
    assert sso.ID_TOKEN_SESSION_KEY not in session_data(session)  # nothing kept that nobody will use
    confirm = session.get(f"{live_server.url}/accounts/logout/", timeout=30)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', confirm.text)
    assert token

    out = session.post(
        f"{live_server.url}/accounts/logout/",
        data={"csrfmiddlewaretoken": token.group(1)},
        allow_redirects=False,
        timeout=30,
    )

    assert out.status_code == 200
    assert "You have signed out" in out.text
    assert not signed_in(session, live_server)


def test_a_password_sign_in_signs_out_in_medlead_only(sso_on: str):
    client = Client()
    client.force_login(make_user(), backend="django.contrib.auth.backends.ModelBackend")

    out = client.post("/accounts/logout/")

    assert out.status_code == 200
    assert "You have signed out" in out.content.decode()


def _break_the_callback_after_the_tokens_arrive(monkeypatch: Any, message: str = "") -> list[str]:
    """Make the sign-in fail after the provider has answered with its tokens; returns the tokens it sent. The
    failure's message quotes the secret and the tokens unless ``message`` is given."""
    tokens: list[str] = []
    exchange = sso.Backend.get_token

    def get_token(self: sso.Backend, payload: dict[str, Any]) -> Any:
        answer = exchange(self, payload)
        tokens.extend(v for k, v in answer.items() if k.endswith("token"))
        return answer

    def update_user(self: sso.Backend, user: Any, claims: dict[str, Any]) -> Any:
        raise RuntimeError(message or f"something broke after {CLIENT_SECRET} and {tokens}")

    monkeypatch.setattr(sso.Backend, "get_token", get_token)
    monkeypatch.setattr(sso.Backend, "update_user", update_user)
    return tokens


def test_any_failure_in_the_callback_is_a_plain_page_and_a_log_line_without_tokens(
    sso_on: str, live_server: Any, settings: Any, monkeypatch: Any, caplog: Any
):
    settings.DEBUG = True
    linked("ada")
    tokens = _break_the_callback_after_the_tokens_arrive(monkeypatch)
    session = requests.Session()

    with caplog.at_level(logging.INFO):
        page = sign_in(session, live_server.url, "ada")

    logged = "\n".join(r.getMessage() for r in caplog.records)
    assert page.status_code == 403
    assert "could not confirm who you are" in page.text
    assert not signed_in(session, live_server)
    assert len(tokens) >= 2  # the ID token and the access token arrived before the failure
    assert "single sign-on failed: RuntimeError at" in logged
    for secret in (CLIENT_SECRET, *tokens):
        assert secret not in page.text
        assert secret not in logged


@pytest.mark.parametrize("filtered", [True, False], ids=["medlead's-filter", "django's-default-filter"])
def test_the_debug_error_page_shows_no_token_or_secret(
    sso_on: str, live_server: Any, settings: Any, monkeypatch: Any, request: Any, filtered: bool
):
    """Even if the callback's own safety net fails (here its failure page breaks too), Django's technical 500 page
    with DEBUG on shows no token and no secret among its variables. With Django's default filter it would: the test
    can see a leak. (An exception's own message is shown as it is: the callback never puts a token in one.)"""
    settings.DEBUG = True
    if not filtered:
        settings.DEFAULT_EXCEPTION_REPORTER_FILTER = "django.views.debug.SafeExceptionReporterFilter"
    debug.get_default_exception_reporter_filter.cache_clear()  # Django keeps the first filter it made
    request.addfinalizer(debug.get_default_exception_reporter_filter.cache_clear)
    linked("ada")
    tokens = _break_the_callback_after_the_tokens_arrive(monkeypatch, message="something broke")

    def broken_page(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("the failure page broke too")

    monkeypatch.setattr(sso, "_failed", broken_page)

    page = sign_in(requests.Session(), live_server.url, "ada")

    assert page.status_code == 500
    assert "the failure page broke too" in page.text  # Django's technical page, with every frame
    leaked = [s for s in (CLIENT_SECRET, *tokens) if s in page.text]
    if filtered:
        assert leaked == []
    else:
        assert leaked
