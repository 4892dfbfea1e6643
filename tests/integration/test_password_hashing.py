"""Local passwords are stored with Argon2id at OWASP's parameters (issue 35, item 5; ADR 0033), and a password
stored before with PBKDF2 still signs its owner in and is stored again with Argon2id as it does."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.test import Client

from medlead.config import settings as production
from tests.factories import make_user

pytestmark = pytest.mark.django_db
PASSWORD = "pw-correct-horse-battery"


@pytest.fixture
def real_hashers(settings) -> None:
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS  # the tests' MD5 (tests/conftest.py) set aside


def test_a_new_password_is_stored_with_argon2id_at_owasps_parameters(real_hashers: None) -> None:
    stored = make_password(PASSWORD)
    # OWASP Password Storage Cheat Sheet: Argon2id, 19 MiB of memory, 2 iterations, 1 degree of parallelism
    assert stored.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")


def test_a_pbkdf2_password_signs_in_and_is_stored_again_with_argon2id(real_hashers: None) -> None:
    user = make_user(username="earlier")
    user.password = make_password(PASSWORD, hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])

    response = Client().post("/accounts/login/", {"username": "earlier", "password": PASSWORD})
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert Client().post("/accounts/login/", {"username": "earlier", "password": PASSWORD}).status_code == 302
