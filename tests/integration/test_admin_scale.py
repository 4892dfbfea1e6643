"""The Django admin at national size (issue 20): changelists cost the same queries for 2 trusts as for 20."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from medlead.accounts.models import Role, User
from medlead.core.actors import SystemActor
from medlead.organisation.models import Region, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, PostFactory, SpecialtyFactory

# The system, acting for the tests where no person does (set-up, workers).
SYSTEM = SystemActor("test set-up")

pytestmark = pytest.mark.django_db


def grow(n: int) -> None:
    region = Region.objects.get_or_create(code="R1", name="Region")[0]
    for i in range(n):
        t = Trust.objects.create(code=f"T{Trust.objects.count():04d}X", name=f"Trust {i}", region=region)
        specialty = SpecialtyFactory(trust=t)
        PersonFactory(trust=t, specialty=specialty)
        PostFactory(trust=t)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/organisation/trust/",
        "/admin/organisation/specialty/",
        "/admin/organisation/site/",
    ],
)
def test_changelists_cost_the_same_queries_as_the_country_grows(path: str) -> None:
    admin = User.objects.create_superuser("root", "root@example.org", "x")
    admin.is_staff = True
    admin.save()
    from medlead.accounts.services import role_grant

    role_grant(actor=SYSTEM, user=admin, role=Role.SYSTEM_ADMIN, trust=None, reason="test set-up")
    client = client_for(admin)
    counts = []
    for n in (2, 18):
        grow(n)
        with CaptureQueriesContext(connection) as q:
            assert client.get(path).status_code == 200
        counts.append(len(q))
    assert counts[0] == counts[1], counts
