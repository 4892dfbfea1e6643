"""The demo responsible officer defers one doctor, recommends another for revalidation and downloads the
annual report."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.core import dates
from medlead.revalidation.models import Appraisal, Recommendation
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_responsible_officer_defers_revalidates_and_reports(page: Any, demo: None) -> None:
    sign_in(page, "ro")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Revalidation").first.click()
    page.get_by_role("heading", name="Recommendations due in the next 4 months").wait_for()
    assert_accessible(page)
    links = page.locator("table").first.get_by_role("link")
    assert links.count() >= 2
    first_name, second_name = links.nth(0).inner_text(), links.nth(1).inner_text()

    links.nth(0).click()
    page.get_by_role("heading", name=first_name).wait_for()
    assert_accessible(page)
    page.get_by_role("radio", name="Defer").check()
    page.get_by_label("What the recommendation rests on").fill("On parental leave; two appraisals outstanding.")
    fill_date(page, "New submission date (deferrals)", dates.today() + dt.timedelta(days=300))
    page.get_by_label("Reason for deferring").select_option("leave")
    for condition in (
        "The doctor is engaging with revalidation",
        "An informed recommendation is not yet possible",
        "There is a legitimate reason",
        "The information still outstanding is identified",
        "The deferral period is long enough",
    ):
        page.get_by_label(condition).check()
    page.get_by_label("I have weighed the warnings shown").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you make the recommendation").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the recommendation").click()
    page.get_by_role("heading", name="Recommendation recorded").wait_for()
    page.get_by_text("Now submit it on GMC Connect").wait_for()
    assert_accessible(page)
    fill_date(page, "Date you submitted it on GMC Connect", dates.today())
    page.get_by_role("button", name="Mark as submitted to the GMC").click()
    page.get_by_text("Marked as submitted to the GMC.").wait_for()

    page.go_back()
    page.goto("/t/DEM001/revalidation/")
    page.get_by_role("link", name=second_name).click()
    page.get_by_role("radio", name="Revalidate").check()
    page.get_by_label("What the recommendation rests on").fill("Five years of appraisal and feedback; no concerns.")
    page.get_by_label("I have weighed the warnings shown").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Confirm the recommendation").click()
    page.get_by_role("heading", name="Recommendation recorded").wait_for()
    page.goto("/t/DEM001/")
    page.get_by_role("link", name="revalidation recommendation to submit on GMC Connect").click()
    page.get_by_role("heading", name="Recommendation recorded").wait_for()
    assert set(Recommendation.objects.filter(made_by__username="ro").values_list("kind", flat=True)) == {
        "defer",
        "revalidate",
    }

    # the decision on a missed appraisal: check your answers, then what happens next (issue 31)
    missed = Appraisal.objects.filter(status="missed", missed_approved__isnull=True).first()
    assert missed is not None  # the demo's most urgent doctor missed last year's appraisal
    page.goto(f"/t/DEM001/revalidation/doctors/{missed.person_id}/")
    page.get_by_role("link", name="Decide on the missed appraisal").click()
    page.get_by_label("Approved", exact=True).check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you decide on the missed appraisal").wait_for()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("heading", name="Missed appraisal approved").wait_for()
    page.get_by_text("What happens next").wait_for()
    assert_accessible(page)
    assert Appraisal.objects.get(pk=missed.pk).missed_approved is True

    page.goto("/t/DEM001/revalidation/report/")
    page.get_by_role("heading", level=1).wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
