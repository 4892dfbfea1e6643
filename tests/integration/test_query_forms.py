"""The people directory, the posts, the org chart's list, the audit log and the API read their query strings
through forms and serializers: a valid filter still filters, a bad one gives the page's default (or, in the API, a
400 with the reason), never a server error (issue 28)."""

from __future__ import annotations

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Division, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, SpecialtyFactory, make_user

pytestmark = pytest.mark.django_db
BAD = ["abc", "NaN", "1e999999", "-1", "99999999999999999999", "x" * 300]


def test_filters_filter_and_bad_values_show_the_default(trust: Trust) -> None:
    md = client_for(make_user((Role.MEDICAL_DIRECTOR, trust), (Role.SYSTEM_ADMIN, None)))
    cardiology = SpecialtyFactory(trust=trust, name="Cardiology")
    other = Division.objects.create(trust=trust, name="Surgery")
    PersonFactory(trust=trust, last_name="Zebedee", specialty=cardiology)
    base = f"/t/{trust.code}"
    assert "Zebedee" in md.get(f"{base}/people/", {"division": cardiology.division_id}).content.decode()
    assert "Zebedee" not in md.get(f"{base}/people/", {"division": other.pk}).content.decode()
    for value in BAD:
        for page, name in [
            ("/people/", "division"),
            ("/people/", "grade"),
            ("/people/", "page"),
            ("/structure/people/pick/", "scope"),
            ("/structure/posts/", "division"),
            ("/structure/posts/", "type"),
            ("/structure/chart/list/", "division"),
        ]:
            assert md.get(f"{base}{page}", {name: value}).status_code == 200, (page, name, value)
        assert "Zebedee" in md.get(f"{base}/people/", {"division": value}).content.decode()
        assert md.get("/audit/", {"page": value, "model": value}).status_code in (200, 403)


def test_the_api_answers_a_bad_search_with_400_and_bad_paging_with_the_first_page(trust: Trust) -> None:
    from rest_framework.test import APIClient

    client = APIClient()
    client.force_authenticate(make_user((Role.MEDICAL_DIRECTOR, trust), (Role.SYSTEM_ADMIN, None)))
    url = f"/api/trusts/{trust.code}/people/"
    assert client.get(url, {"q": "x" * 300}).status_code == 400
    for value in BAD:
        assert client.get(url, {"limit": value, "offset": value}).status_code == 200
