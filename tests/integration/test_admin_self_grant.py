"""Nobody grants access to themselves through the Django admin (issue 29): the admin holds reference data only, so
a superuser finds no account, role, person link, audit event or workflow record there to change, its own or
anyone's. Access is changed on medlead's own pages instead (tests/integration/test_access.py)."""

from __future__ import annotations

import pytest

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import PersonFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser() -> User:
    """The system administrator, as the demo's ``admin``: a superuser holding the national role."""
    user = User.objects.create_superuser("root", "root@example.org", "x")
    RoleAssignment.objects.create(user=user, role=Role.SYSTEM_ADMIN)
    return user


def test_a_superuser_cannot_link_itself_to_a_person_or_grant_itself_a_role(trust: Trust, superuser: User) -> None:
    investigator = PersonFactory(trust=trust)
    client = client_for(superuser)
    data = {
        "username": "root",
        "person": str(investigator.pk),
        "role_assignments-TOTAL_FORMS": "1",
        "role_assignments-INITIAL_FORMS": "0",
        "role_assignments-0-role": "company_secretary",
        "role_assignments-0-trust": str(trust.pk),
    }
    assert client.post(f"/admin/accounts/user/{superuser.pk}/change/", data).status_code == 404
    assert client.post("/admin/accounts/roleassignment/add/", {"user": superuser.pk}).status_code == 404
    superuser.refresh_from_db()
    assert superuser.person_id is None
    assert not RoleAssignment.objects.filter(user=superuser, role="company_secretary").exists()


def test_nor_for_anyone_else_there(trust: Trust, superuser: User) -> None:
    colleague = User.objects.create_user("colleague", "c@example.org", "x")
    client = client_for(superuser)
    assert client.get(f"/admin/accounts/user/{colleague.pk}/change/").status_code == 404
    assert client.get("/admin/accounts/user/").status_code == 404


def test_job_plans_people_posts_rotas_and_the_audit_trail_are_not_in_the_admin(superuser: User) -> None:
    client = client_for(superuser)
    for path in (
        "/admin/jobplans/jobplan/",
        "/admin/organisation/person/",
        "/admin/structure/post/",
        "/admin/structure/holding/",
        "/admin/rota/rota/",
        "/admin/audit/auditevent/",
        "/admin/auth/group/",
        "/admin/axes/accessattempt/",
    ):
        assert client.get(path).status_code == 404, path
