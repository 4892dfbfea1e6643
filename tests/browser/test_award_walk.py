"""Issue 17, done when (awards part): a consultant's award application is verified by the employer in the browser;
the consultant prepares their own from what medlead holds."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_medical_director_verifies_a_consultants_application(page: Any, demo: None) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="National Clinical Impact Award applications").click()
    page.get_by_role("heading", name="National Clinical Impact Awards").wait_for()
    assert_accessible(page)
    page.get_by_role("table").get_by_role("link").first.click()
    page.get_by_role("heading", name="Verify the application").wait_for()
    page.get_by_role("group", name="Is the applicant meeting their contractual obligations?").get_by_label(
        "Yes"
    ).check()
    page.get_by_role("group", name="Has the applicant been truthful in their application?").get_by_label("Yes").check()
    investigations = "Are there any investigations or sanctions in place about the applicant?"
    page.get_by_role("group", name=investigations).get_by_label("No").check()
    rating = page.get_by_role("group", name="Your organisation's Care Quality Commission rating")
    rating.get_by_label("Good", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    # check your answers, then a confirmation saying what happens next (issue 31)
    page.get_by_role("heading", name="Check your answers before you verify the application").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Record the verification").click()
    page.get_by_role("heading", name="Application verified").wait_for()
    page.get_by_text("What happens next").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the application").click()
    page.get_by_text("Verified by the employer").first.wait_for()


def test_a_consultant_prepares_and_submits_an_application(page: Any, demo: None) -> None:
    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/development/")
    page.get_by_role("link", name="National Clinical Impact Awards: your applications").click()
    page.get_by_role("link", name="Start an application").click()
    page.get_by_role("button", name="Save").click()
    page.get_by_text("What medlead holds that you can draw on").wait_for()
    for label in (
        "Service delivery and development",
        "Leadership",
        "Education, training and people development",
        "Innovation and research",
        "Additional national impact",
    ):
        page.get_by_label(label, exact=True).fill(f"My work: {label.lower()}.")
    assert_accessible(page)
    # submitting is offered once every domain has text saved (issue 31)
    page.get_by_role("heading", name="Before you can submit it").wait_for()
    assert page.get_by_role("button", name="Submit for the employer's verification").count() == 0
    page.get_by_role("button", name="Save the draft").click()
    page.get_by_role("button", name="Submit for the employer's verification").click()
    page.get_by_role("heading", name="Check your answers before you submit your application").wait_for()
    page.get_by_text("of 500 words").first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Submit the application").click()
    page.get_by_role("heading", name="Application submitted").wait_for()
    page.get_by_text("Your employer verifies it next").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to your application").click()
    page.get_by_text("Waiting for the employer's verification").wait_for()
