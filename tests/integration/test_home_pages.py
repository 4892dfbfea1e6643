"""The pages composed from every app (``medlead.home``): the trusts list, each trust's home page and the 403 page."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role
from medlead.organisation.models import BoardMember, BoardRole, Committee, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_user

pytestmark = pytest.mark.django_db


def test_someone_with_one_trust_goes_straight_to_its_home_page(trust: Trust) -> None:
    doctor = make_user((Role.DOCTOR, trust))
    response = client_for(doctor).get("/")
    assert response.status_code == 302 and response["Location"] == f"/t/{trust.code}/"


def test_someone_with_several_trusts_chooses_one_and_may_search_them(trust: Trust, other_trust: Trust) -> None:
    both = make_user((Role.MEDICAL_DIRECTOR, trust), (Role.MEDICAL_DIRECTOR, other_trust))
    page = client_for(both).get("/").content.decode()
    assert "Your trusts" in page and f'href="/t/{trust.code}/"' in page and f'href="/t/{other_trust.code}/"' in page
    found = client_for(both).get("/", {"q": other_trust.name}).content.decode()
    assert f'href="/t/{other_trust.code}/"' in found and f'href="/t/{trust.code}/"' not in found


def test_a_refused_page_says_so_and_leads_back_to_the_trusts_home_page(trust: Trust) -> None:
    doctor = make_user((Role.DOCTOR, trust))
    response = client_for(doctor).get(f"/t/{trust.code}/people/new/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "You cannot open this page" in page and f'href="/t/{trust.code}/"' in page


def test_the_trusts_about_page_names_its_board_committees_and_specialties_in_fixed_queries(
    trust: Trust, other_trust: Trust, django_assert_max_num_queries: Any
) -> None:
    chair = PersonFactory(trust=trust, first_name="Ada", last_name="Chairwoman")
    BoardMember.objects.create(trust=trust, role=BoardRole.CHAIR, person=chair)
    board = Committee.objects.create(trust=trust, name="Board of directors")
    Committee.objects.create(trust=trust, name="Quality committee", chair=chair, reports_to=board)
    surgery = SpecialtyFactory(trust=trust, name="General surgery")
    PersonFactory(trust=trust, specialty=surgery)
    PersonFactory(trust=trust, specialty=surgery)
    PersonFactory(trust=trust, specialty=surgery, active=False)
    doctor = make_user((Role.DOCTOR, trust))
    client = client_for(doctor)
    home = client.get(f"/t/{trust.code}/").content.decode()
    assert f'href="/t/{trust.code}/about/"' in home
    ned = make_user((Role.NON_EXECUTIVE, trust))
    board_side = client_for(ned)
    board_side.get(f"/t/{trust.code}/about/")
    with CaptureQueriesContext(connection) as one_member:
        client.get(f"/t/{trust.code}/about/")
    with CaptureQueriesContext(connection) as one_member_ned:
        board_side.get(f"/t/{trust.code}/about/")
    for role in (BoardRole.CHIEF_EXECUTIVE, BoardRole.MEDICAL_DIRECTOR, BoardRole.NON_EXECUTIVE):
        BoardMember.objects.create(trust=trust, role=role, person=PersonFactory(trust=trust))
    with django_assert_max_num_queries(9), CaptureQueriesContext(connection) as four_members:
        page = client.get(f"/t/{trust.code}/about/").content.decode()
    with CaptureQueriesContext(connection) as four_members_ned:
        board_side.get(f"/t/{trust.code}/about/")
    # each member's link is decided without a query of its own, for the trust's staff and for the board
    assert len(four_members) == len(one_member)
    assert len(four_members_ned) == len(one_member_ned)
    assert "Ada Chairwoman" in page
    assert "Quality committee, chaired by Dr Ada Chairwoman (reports to Board of directors)" in page
    assert "General surgery" in page and "2 doctors" in page  # the one who left is not counted
    # a non-executive opens the board members' records, not the trust's people by specialty
    theirs = client_for(ned).get(f"/t/{trust.code}/about/").content.decode()
    assert f'href="/t/{trust.code}/people/{chair.pk}/"' in theirs
    assert "General surgery</a>" not in theirs and "General surgery" in theirs
    # a person of another trust does not learn this trust's board
    stranger = make_user((Role.DOCTOR, other_trust))
    assert client_for(stranger).get(f"/t/{trust.code}/about/").status_code == 404
