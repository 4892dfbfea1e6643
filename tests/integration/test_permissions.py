"""The permission matrix and tenancy, tested against the roles and scopes users really hold."""

from __future__ import annotations

import pytest

from medlead.accounts.models import Role
from medlead.core.policy import Perm, can
from medlead.organisation.models import Trust
from medlead.organisation.selectors import visible_trusts
from tests.conftest import client_for
from tests.factories import RegionFactory, TrustFactory, make_user

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("perm", list(Perm))
def test_no_role_grants_anything_in_another_trust(role: Role, perm: Perm, trust: Trust, other_trust: Trust) -> None:
    user = make_user((role, trust))
    assert can(user, perm, other_trust) is False


def test_doctor_cannot_see_structure_health_but_medical_director_can(trust: Trust) -> None:
    assert not can(make_user((Role.DOCTOR, trust)), Perm.VIEW_STRUCTURE_HEALTH, trust)
    assert can(make_user((Role.MEDICAL_DIRECTOR, trust)), Perm.VIEW_STRUCTURE_HEALTH, trust)


def test_regional_role_covers_every_trust_in_its_region_only() -> None:
    north, south = RegionFactory(), RegionFactory()
    a, b, c = TrustFactory(region=north), TrustFactory(region=north), TrustFactory(region=south)
    user = make_user((Role.RESPONSIBLE_OFFICER, north))
    assert set(visible_trusts(user)) == {a, b}
    assert can(user, Perm.VIEW_STRUCTURE_HEALTH, a)
    assert not can(user, Perm.VIEW_STRUCTURE_HEALTH, c)


def test_national_role_sees_all_trusts() -> None:
    trusts = {TrustFactory(), TrustFactory()}
    user = make_user((Role.SYSTEM_ADMIN, None))
    assert set(visible_trusts(user)) == trusts
    assert all(can(user, Perm.VIEW_AUDIT, t) for t in trusts)


def test_user_without_roles_sees_nothing(trust: Trust) -> None:
    user = make_user()
    assert not visible_trusts(user).exists()
    assert not can(user, Perm.VIEW_ORGANISATION, trust)


def test_other_trusts_pages_and_api_answer_not_found(md_user, other_trust: Trust) -> None:
    client = client_for(md_user)
    for url in (
        f"/t/{other_trust.code}/",
        f"/t/{other_trust.code}/people/",
        f"/t/{other_trust.code}/structure/health/",
        f"/t/{other_trust.code}/structure/chart/data.json",
    ):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/api/trusts/{other_trust.code}/people/").status_code == 404


def test_doctor_is_refused_structure_health_page_and_api(doctor_user, trust: Trust) -> None:
    client = client_for(doctor_user)
    assert client.get(f"/t/{trust.code}/structure/health/").status_code == 403
    assert client.get(f"/api/trusts/{trust.code}/structure-health/").status_code == 403
    assert client.get(f"/t/{trust.code}/structure/posts/").status_code == 200


def test_signed_out_visitor_is_sent_to_sign_in_and_api_refuses(trust: Trust, client) -> None:
    response = client.get(f"/t/{trust.code}/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/trusts/{trust.code}/people/").status_code == 403
