"""Where the code and docs/permissions.md disagreed (issue 29, "Smaller"), decided by the roles' real jobs:

- the system administrator runs the system, not rotas: rotas are medical staffing's (the rota coordinator);
- the responsible officer, a senior medical leader, spots talent like the others (nhsconfed-2009: senior leaders
  spot talent): the document was wrong;
- the company secretary keeps the board's records: board members, not the people directory or other doctors."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.accounts.models import Role
from medlead.core.policy import Perm, can
from medlead.organisation.models import BoardMember, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db


def test_the_system_administrator_does_not_manage_rotas(trust: Trust) -> None:
    admin = make_user((Role.SYSTEM_ADMIN, None), is_superuser=True, is_staff=True)
    hr = make_user((Role.MEDICAL_STAFFING, trust))
    assert not can(admin, Perm.MANAGE_ROTAS, trust)
    assert can(hr, Perm.MANAGE_ROTAS, trust)
    assert can(admin, Perm.VIEW_ROTAS, trust)  # seeing them stays


def test_the_responsible_officer_may_nominate_talent(trust: Trust) -> None:
    assert can(make_user((Role.RESPONSIBLE_OFFICER, trust)), Perm.NOMINATE_TALENT, trust)


def test_the_company_secretary_sees_board_members_not_the_people_directory(trust: Trust) -> None:
    cosec = make_user((Role.COMPANY_SECRETARY, trust), person=PersonFactory(trust=trust, kind="manager", grade=""))
    doctor = PersonFactory(trust=trust)
    member = PersonFactory(trust=trust, kind="manager", grade="")
    BoardMember.objects.create(trust=trust, person=member, role="non_executive", start=dt.date(2024, 1, 1))
    assert not can(cosec, Perm.VIEW_PEOPLE, trust)
    assert not can(cosec, Perm.VIEW_PERSON, doctor)
    assert can(cosec, Perm.VIEW_PERSON, member)
    client = client_for(cosec)
    assert client.get(f"/t/{trust.code}/people/").status_code == 403
    assert client.get(f"/t/{trust.code}/people/{doctor.pk}/").status_code == 403
    assert client.get(f"/t/{trust.code}/people/{member.pk}/").status_code == 200
