"""No password form anywhere when local passwords are off (issue 29, item 7): the Django admin's sign-in gives way to
medlead's own sign-in page, and its password pages say that passwords are not used here."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role
from tests.factories import TrustFactory, make_user

pytestmark = pytest.mark.django_db
SSO_BACKEND = "medlead.accounts.sso.Backend"


@pytest.fixture
def passwords_off(settings: Any) -> None:
    settings.LOCAL_PASSWORDS = False
    settings.SSO_ENABLED = True
    settings.MEDLEAD_OIDC_ISSUER = "https://sign-in.example.nhs.uk"
    settings.MEDLEAD_OIDC_NAME = "the trust's sign-in"
    settings.AUTHENTICATION_BACKENDS = [
        *(b for b in settings.AUTHENTICATION_BACKENDS if "ModelBackend" not in b),
        SSO_BACKEND,
    ]


def test_the_admins_sign_in_is_medleads_sign_in_page_with_no_password_form(passwords_off: None):
    client = Client()

    answer = client.get("/admin/", follow=True)

    assert answer.redirect_chain[-1][0] == "/accounts/login/?next=/admin/"
    assert "Sign in with the trust&#39;s sign-in" in answer.content.decode()
    assert 'type="password"' not in answer.content.decode()


def test_the_admins_sign_in_sends_a_password_user_to_medleads_page_too(settings: Any):
    answer = Client().get("/admin/login/", {"next": "/admin/audit/"})

    assert answer.status_code == 302
    assert answer["Location"] == "/accounts/login/?next=/admin/audit/"


def test_somebody_signed_in_whom_the_admin_refuses_is_told_so_without_a_loop_or_a_password_form(
    passwords_off: None,
):
    client = Client()
    client.force_login(make_user((Role.DOCTOR, TrustFactory())), backend=SSO_BACKEND)

    answer = client.get("/admin/", follow=True)

    text = answer.content.decode()
    assert answer.status_code == 403
    assert len(answer.redirect_chain) == 1  # /admin/ to /admin/login/, and no further
    assert "You cannot use the administration pages" in text
    assert 'type="password"' not in text


@pytest.mark.parametrize("page", ["/admin/password_change/"])
def test_the_admins_password_pages_say_passwords_are_not_used(passwords_off: None, page: str):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin, backend=SSO_BACKEND)

    answer = client.get(page.format(id=admin.pk))

    text = answer.content.decode()
    assert answer.status_code == 404
    assert "Passwords are not used here" in text
    assert "the trust&#39;s sign-in" in text
    assert 'type="password"' not in text


@pytest.mark.parametrize("page", ["/admin/password_change/"])
def test_with_local_passwords_on_the_admins_password_pages_still_work(page: str):
    admin = make_user(username="root", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(admin)

    answer = client.get(page.format(id=admin.pk))

    assert answer.status_code == 200
    assert 'type="password"' in answer.content.decode()


def test_password_reset_pages_are_gone_when_local_passwords_are_off(passwords_off: None):
    client = Client()

    for page in ("/accounts/password-reset/", "/accounts/password-reset/sent/", "/accounts/password-reset/done/"):
        answer = client.get(page)
        assert answer.status_code == 404, page
        assert 'type="password"' not in answer.content.decode()
