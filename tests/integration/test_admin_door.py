"""The system administrator's door (issue 31, item 7): the home page and the header lead a system administrator to
the audit trail, the access pages and the Django admin's reference data, and nobody else; a refusal names who can
help, the trust's medical director's office, never "ask your system administrator"."""

from __future__ import annotations

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_a_system_administrator_finds_the_audit_trail_the_access_pages_and_the_admin(trust: Trust) -> None:
    admin = make_user((Role.SYSTEM_ADMIN, trust), is_staff=True)
    client = client_for(admin)
    page = client.get(f"/t/{trust.code}/").content.decode()
    door = page.split('id="administration"', 1)[1].split("</ul>", 1)[0]
    for href, words in [
        (f"/t/{trust.code}/access/", "Accounts and access"),
        (f"/t/{trust.code}/access/requests/", "Grants of access"),
        ("/audit/", "Audit trail"),
        ("/admin/", "Reference data (Django admin)"),
    ]:
        assert f'href="{href}">{words}</a>' in door, words
        assert client.get(href).status_code == 200, href
    header = page.split("<header", 1)[1].split("</header>", 1)[0]
    assert 'href="/audit/"' in header and 'href="/admin/"' in header


def test_nobody_else_is_shown_the_door(trust: Trust) -> None:
    for role in (Role.MEDICAL_DIRECTOR, Role.DOCTOR, Role.NON_EXECUTIVE):
        user = make_user((role, trust), person=PersonFactory(trust=trust))
        page = client_for(user).get(f"/t/{trust.code}/").content.decode()
        assert 'id="administration"' not in page, role
        assert 'href="/audit/"' not in page and 'href="/admin/"' not in page, role


def test_a_refusal_names_the_medical_directors_office_not_the_reader(trust: Trust) -> None:
    admin = make_user((Role.SYSTEM_ADMIN, trust), is_staff=True)
    response = client_for(admin).get(f"/t/{trust.code}/revalidation/")  # no confidential record is theirs to read
    assert response.status_code == 403
    page = response.content.decode()
    assert f"ask {trust.name}'s medical director's office" in page
    assert "system administrator" not in page.split("<main", 1)[1]
