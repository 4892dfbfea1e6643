"""Nobody grants access to themselves through the Django admin (issue 29): a superuser cannot link its own account to
a person (say, an MHPS case's investigator), grant itself a role or make itself staff; it still grants roles to
others, audited. Job plans are not in the admin at all, and accounts are not deleted in bulk."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


def _change_form(client: Client, user: User) -> dict[str, Any]:
    """The account's change form as the admin shows it, ready to post back."""
    page = client.get(f"/admin/accounts/user/{user.pk}/change/")
    assert page.status_code == 200
    form = page.context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list | tuple)}
    data |= {
        "username": user.username,
        "date_joined_0": user.date_joined.strftime("%Y-%m-%d"),
        "date_joined_1": user.date_joined.strftime("%H:%M:%S"),
        "is_active": "on",
        "is_superuser": "on",
        "is_staff": "on",
    }
    for key in ("password", "last_login"):
        data.pop(key, None)
    return data


def _with_role(data: dict[str, Any], trust: Trust, role: str) -> dict[str, Any]:
    return data | {
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-0-role": role,
        "role_assignments-0-trust": str(trust.pk),
    }


@pytest.fixture
def superuser() -> User:
    """The system administrator, as the demo's ``admin``: a superuser holding the national role."""
    user = User.objects.create_superuser("root", "root@example.org", "x")
    RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN)
    return user


def test_a_superuser_cannot_link_itself_to_a_person_or_grant_itself_a_role(trust: Trust, superuser: User) -> None:
    investigator = PersonFactory(trust=trust)
    client = client_for(superuser)
    data = _with_role(_change_form(client, superuser), trust, "company_secretary") | {"person": str(investigator.pk)}
    client.post(f"/admin/accounts/user/{superuser.pk}/change/", data)
    superuser.refresh_from_db()
    assert superuser.person_id is None
    assert not RoleAssignment.objects.filter(user=superuser, role="company_secretary").exists()


def test_a_superuser_still_grants_a_role_to_someone_else(trust: Trust, superuser: User) -> None:
    colleague = User.objects.create_user("colleague", "c@example.org", "x")
    client = client_for(superuser)
    data = _with_role(_change_form(client, colleague), trust, str(Role.CLINICAL_DIRECTOR))
    data.pop("is_superuser"), data.pop("is_staff")
    response = client.post(f"/admin/accounts/user/{colleague.pk}/change/", data)
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=colleague, role=Role.CLINICAL_DIRECTOR).exists()


def test_the_superuser_flag_alone_grants_nobody_anything(trust: Trust) -> None:
    # the policy, not Django's superuser flag, decides who changes an account's access
    bare = User.objects.create_superuser("bare", "bare@example.org", "x")
    colleague = User.objects.create_user("colleague", "c@example.org", "x")
    client = client_for(bare)
    data = _with_role(_change_form(client, colleague), trust, str(Role.CLINICAL_DIRECTOR))
    client.post(f"/admin/accounts/user/{colleague.pk}/change/", data)
    assert not RoleAssignment.objects.filter(user=colleague).exists()


def test_job_plans_are_not_in_the_admin_and_accounts_are_not_deleted_in_bulk(superuser: User) -> None:
    client = client_for(superuser)
    assert client.get("/admin/jobplans/jobplan/").status_code == 404
    page = client.get("/admin/accounts/user/")
    assert page.status_code == 200
    assert "delete_selected" not in page.content.decode()
