"""A clinical director reviews and signs a job plan; the medical director sees the trust dashboard."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.jobplans.models import JobPlan
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_clinical_director_signs_and_medical_director_sees_dashboard(page: Any, demo: None, browser: Any) -> None:
    sign_in(page, "cd")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Job plans").first.click()
    page.get_by_role("heading", name="Job planning", exact=False).first.wait_for()
    page.get_by_label("State").select_option(label="Agreed by the doctor")
    page.get_by_role("button", name="Filter").click()
    # the filtered list, loaded: counted before it arrives, the links would be none and the walk would sign nothing
    page.wait_for_url("**state=agreed**")
    page.locator("table").last.get_by_role("link").first.wait_for()
    listed = page.url
    links = page.locator("table").last.get_by_role("link")
    for n in range(links.count()):  # the first agreed plan that can be signed (one that does not add up cannot)
        link = page.locator("table").last.get_by_role("link").nth(n)
        name = link.inner_text()
        link.click()
        page.get_by_role("heading", name=name).wait_for()
        if page.get_by_role("link", name="Sign as clinical director").count():
            break
        assert page.get_by_role("heading", name="Before this job plan can be signed").count() == 1
        page.goto(listed)
    else:
        pytest.fail(f"none of the clinical director's {links.count()} agreed plans can be signed")
    assert_accessible(page)
    assert page.get_by_role("heading", name="Checks").count() == 1
    page.get_by_role("link", name="Sign as clinical director").click()
    page.get_by_role("heading", name="Check your answers before you sign this job plan").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Sign this job plan").click()
    page.get_by_role("heading", name="Job plan signed").wait_for()
    page.get_by_role("heading", name="What happens next").wait_for()
    plan = JobPlan.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert plan.state == "signed_cd" and plan.cd_signed_by is not None

    context = browser.new_context(base_url=page.url.split("/t/")[0])
    md = context.new_page()
    sign_in(md, "md")
    md.wait_for_url("**/t/DEM001/")
    md.goto("/t/DEM001/job-plans/")
    md.get_by_role("heading", name="SPA share by specialty: funnel plot").wait_for()
    assert "job plans signed off" in md.content()
    assert md.locator("svg circle").count() > 5
    assert_accessible(md)
    md.goto(f"/t/DEM001/job-plans/{plan.pk}/")
    md.get_by_role("link", name="Sign off as medical director").click()
    md.get_by_role("button", name="Sign off this job plan").click()
    md.get_by_role("heading", name="Job plan signed off").wait_for()
    plan.refresh_from_db()
    assert plan.state == "signed"
    context.close()
