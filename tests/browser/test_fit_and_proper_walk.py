"""Issue 17, done when (fit and proper part): the chair walks from an overdue check to the annual sign-off and the
return's PDF."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.core import dates
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_chair_completes_an_overdue_assessment_and_downloads_the_return(page: Any, demo: None) -> None:
    today = dates.today()
    sign_in(page, "chair")
    page.wait_for_url("**/t/DEM001/")
    # one assessment is overdue: the task's link opens it (issue 31: a task link lands on the task)
    page.get_by_role("link", name="board member's fit and proper assessment is overdue").click()
    page.get_by_role("heading", name=f"Annual assessment {today.year}").wait_for()
    assert_accessible(page)
    member = page.locator(".nhsuk-caption-l").inner_text().split(",")[0]
    for check in (
        "Charity Commission register of removed trustees",
        "Search of public information and social media",
        "Annual appraisal against the leadership competency framework for board members",
    ):
        page.get_by_label("Check", exact=True).select_option(label=check)
        fill_date(page, "Date of the check", today)
        page.get_by_label("Outcome").select_option(label="Satisfactory")
        page.get_by_label("Evidence").fill("Seen and filed.")
        page.get_by_role("button", name="Record the check").click()
        page.get_by_text("Saved.").wait_for()
    page.get_by_label("Decision").select_option(label="Fit and proper")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you sign the assessment off").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and sign it off").click()
    page.get_by_role("heading", name="Assessment signed off").wait_for()
    page.get_by_role("heading", name="What happens next").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the assessment").click()
    page.get_by_text("Decision: Fit and proper").wait_for()

    page.get_by_role("link", name="Fit and proper person records").click()
    page.get_by_role("link", name=f"The annual return for {today.year}").click()
    page.get_by_role("heading", name=f"Fit and proper annual return, {today.year}").wait_for()  # loaded, then axe
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download the return as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        text = " ".join(pdf_text(fh.read()).split())
    assert f"annual return {today.year}" in text and "Hospitals NHS Foundation Trust" in text
    assert member in text and "Fit and proper" in text
