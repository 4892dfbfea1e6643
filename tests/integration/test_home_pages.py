"""The pages composed from every app (``medlead.home``): the trusts list, each trust's home page and the 403 page."""

from __future__ import annotations

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Trust
from tests.conftest import client_for
from tests.factories import make_user

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
