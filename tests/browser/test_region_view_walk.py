"""Issue 34, done when (the region's part): the regional medical director signs in, lands on their region's page and
reads the three trusts side by side: each board metric's SPC signal in words, small numbers suppressed, the funnel
plots across the trusts and what needs them (returns overdue, a trust's special-cause deterioration). axe finds no
WCAG 2.2 AA failure and the page fits a 375 px phone. They find no trust's confidential record (404 on a case under
MHPS and a fit and proper record of the demo trust) and no other region's page; the demo trust's medical director
finds no region page either."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.concerns.models import Case
from medlead.fitproper.models import Assessment
from medlead.organisation.models import Region, Trust
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def test_the_regional_medical_director_reads_the_region(page: Any, browser: Any, live_server: Any, demo: None) -> None:
    region = Trust.objects.get(code="DEM001").region
    assert region is not None
    sign_in(page, "rmd")
    page.wait_for_url(f"**/regions/{region.code}/")
    page.get_by_role("heading", name=region.name, level=1).wait_for()
    assert_accessible(page)
    for code in ("DEM001", "DEM002", "DEM003"):
        assert Trust.objects.get(code=code).name in page.inner_text("main")

    # what needs them: the returns overdue (the demo trust's and Riverside's), Riverside's deterioration
    work = page.locator(".nhsuk-card--feature")
    work.get_by_role("link", name="fit and proper annual returns").wait_for()
    returns = page.locator("#returns + p + table")
    riverside, eastmoor = Trust.objects.get(code="DEM003").name, Trust.objects.get(code="DEM002").name
    assert "Overdue" in returns.get_by_role("row", name=riverside).inner_text()
    assert "Received" in returns.get_by_role("row", name=eastmoor).inner_text()
    work.get_by_role("link", name="special-cause variation for the worse").click()
    page.wait_for_url("**#concerns")
    concerns = page.locator("#concerns + p + ul").inner_text()
    assert f"{riverside}: Job plans signed off" in concerns

    # each metric's signal in words, per trust; counts under 8 suppressed; the funnels across the trusts
    metrics = page.get_by_role("table", name="Job plans signed off by trust")
    assert "Special cause variation: a concern" in metrics.get_by_role("row", name=riverside).inner_text()
    assert "fewer than 8" in page.inner_text("main")
    mhps = page.get_by_role("table", name="Cases under MHPS by trust").inner_text()
    assert "fewer than 8" in mhps
    funnel = page.get_by_role("img", name="Doctors appraised in the last 12 months, by trust")
    assert funnel.is_visible()
    assert eastmoor in page.get_by_role("table", name="Doctors appraised in the last 12 months, by trust").inner_text()

    # a trust's chart, from the region's page: the metric's own page, read as its board reads it
    metrics.get_by_role("link", name=riverside).click()
    page.get_by_role("heading", name="Job plans signed off").wait_for()
    assert_accessible(page)

    # no confidential record of the demo trust, no other region
    case = Case.objects.filter(trust__code="DEM001").order_by("pk").first()
    fppt = Assessment.objects.filter(trust__code="DEM001").order_by("pk").first()
    assert case is not None and fppt is not None
    for url in (
        f"/t/DEM001/concerns/{case.pk}/",
        f"/t/DEM001/fit-and-proper/assessments/{fppt.pk}/",
        f"/regions/{Region.objects.exclude(pk=region.pk).order_by('code').first().code}/",  # type: ignore[union-attr]
    ):
        response = page.goto(url)
        assert response is not None and response.status == 404, url

    # the page fits a phone
    phone = browser.new_context(base_url=live_server.url, viewport=PHONE)
    small = phone.new_page()
    sign_in(small, "rmd")
    small.wait_for_url(f"**/regions/{region.code}/")
    assert small.evaluate(WIDTH) <= PHONE["width"]
    phone.close()


def test_the_medical_director_finds_no_region_page(page: Any, demo: None) -> None:
    region = Trust.objects.get(code="DEM001").region
    assert region is not None
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    for url in (f"/regions/{region.code}/", "/regions/"):
        response = page.goto(url)
        assert response is not None and response.status == 404, url
