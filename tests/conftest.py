from __future__ import annotations

import os

import pytest
from django.test import Client

from medlead.accounts.models import Role, User
from medlead.organisation.models import Trust
from tests.demo_db import _demo_snapshot, demo_trust  # noqa: F401 (fixtures)
from tests.factories import TrustFactory, make_user

# Playwright's sync API runs an event loop in the test thread; the ORM calls made by tests are still sync.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hashing() -> None:
    """Tests sign in thousands of times: hash with MD5 here (never in production), not a million PBKDF2 rounds."""
    from django.conf import settings

    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True, scope="session")
def _tasks_inline() -> None:
    """Tests run tasks in the caller (eagerly), not on the task queue `make run` starts; a test of the queue itself
    (a real worker) sends its tasks to a broker of its own."""
    from django.conf import settings

    settings.CELERY_TASK_ALWAYS_EAGER = True


@pytest.fixture
def trust(db: None) -> Trust:
    return TrustFactory()


@pytest.fixture
def other_trust(db: None) -> Trust:
    return TrustFactory()


@pytest.fixture
def md_user(trust: Trust) -> User:
    return make_user((Role.MEDICAL_DIRECTOR, trust), username="md-test")


@pytest.fixture
def doctor_user(trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), username="doctor-test")


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    return client
