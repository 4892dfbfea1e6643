"""Bad input is a 400 or the page's default, never a server error (issue 12's cases, and a Hypothesis sweep of
the query parameters every page reads)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from medlead.accounts.models import Role
from medlead.jobplans.models import JobPlan
from medlead.organisation.models import Grade, Trust
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db

PAGES = [
    "/t/{t}/people/",
    "/t/{t}/structure/posts/",
    "/t/{t}/structure/chart/list/",
    "/t/{t}/job-plans/",
    "/t/{t}/revalidation/",
    "/t/{t}/revalidation/report/",
    "/t/{t}/guardian-report/",
    "/t/{t}/rotas/",
    "/t/{t}/exception-reports/",
    "/t/{t}/talent/succession/",
    "/t/{t}/development/opportunities/",
    "/api/trusts/{t}/people/",
    "/api/trusts/{t}/posts/",
    "/audit/",
]
PARAMS = ["q", "year", "quarter", "week", "division", "specialty", "state", "grade", "page", "limit", "offset", "model"]
NASTY = ["%00", "99999", "0-Q1", "2026-Q9", "0001-01-01", "9999999999999999999999", "-1", "abc", "", "1e9", "٣"]


@pytest.fixture
def md(trust: Trust):
    return make_user(
        (Role.MEDICAL_DIRECTOR, trust),
        (Role.RESPONSIBLE_OFFICER, trust),
        (Role.GUARDIAN, trust),
        (Role.SYSTEM_ADMIN, None),
    )


def test_the_reported_cases_answer_without_a_server_error(trust: Trust, md) -> None:
    client = client_for(md)
    for page in PAGES:
        for param in PARAMS:
            for value in NASTY:
                url = page.format(t=trust.code) + f"?{param}={value}"
                status = client.get(url).status_code
                assert status < 500, (url, status)
    assert client.get(f"/t/{trust.code}/people/?q=%00").status_code == 400
    page = client.get(f"/t/{trust.code}/people/?q=%00").content.decode()
    assert "null character" in page


def test_a_plan_posted_with_a_nonsense_version_or_target_changes_nothing(trust: Trust) -> None:
    doctor = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    user = make_user((Role.DOCTOR, trust), person=doctor)
    plan = JobPlan.objects.create(trust=trust, person=doctor, year=2026)
    client = client_for(user)
    for data in ({"to": "discussion", "version": "abc"}, {"to": "bogus", "version": "1"}, {"to": "x" * 5000}):
        assert client.post(f"/t/{trust.code}/job-plans/{plan.pk}/transition/", data).status_code == 302
    assert JobPlan.objects.get(pk=plan.pk).state == "draft"


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(page=st.sampled_from(PAGES), param=st.sampled_from(PARAMS), value=st.text(max_size=30))
def test_no_query_parameter_makes_any_page_fail(trust: Trust, md, page: str, param: str, value: str) -> None:
    response = client_for(md).get(page.format(t=trust.code), {param: value})
    assert response.status_code < 500
