"""The medical director finishes the board report as a task list (issue 31): the sections with and without their
narrative and the figures' data date, a narrative written (an empty one refused), then "Issue the report" near the
top, its check of the answers and the confirmation saying what happens next; a board member then reads it."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.governance.models import BoardReport
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_medical_director_finishes_and_issues_the_board_report(page: Any, demo: None, browser: Any) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/board/meetings/")
    page.get_by_role("table").get_by_role("link").first.click()  # the next meeting, newest first
    page.get_by_role("link", name="Version 1").click()
    page.get_by_role("heading", name="Sections").wait_for()
    assert page.get_by_text("DRAFT", exact=True).count() >= 1
    tasks = page.locator(".nhsuk-task-list")
    assert tasks.get_by_text("Narrative written").count() == 1  # safe working hours, so far
    assert tasks.get_by_text("No narrative yet").count() == 5
    assert tasks.get_by_text("Figures up to").count() >= 1  # each section's data date
    assert page.get_by_role("link", name="Issue the report").count() == 0  # not offered yet
    page.get_by_text("5 sections still need one").wait_for()
    assert_accessible(page)

    tasks.get_by_role("link", name="Medical workforce").click()
    page.get_by_role("heading", name="Medical workforce: the narrative").wait_for()
    assert page.get_by_role("link", name="Back to the report").count() == 1
    page.get_by_text("Leave a blank line between paragraphs.").wait_for()
    page.get_by_role("button", name="Save the narrative").click()  # nothing written
    page.locator(".nhsuk-error-summary").get_by_text("Write the narrative for this section").wait_for()
    assert_accessible(page)
    page.get_by_label("Narrative").fill("Job planning recovers in medicine.\n\nSurgery is next, from January.")
    page.get_by_role("button", name="Save the narrative").click()
    page.get_by_text("The narrative for Medical workforce is saved.").wait_for()
    for name in (
        "Quality and safety",
        "Revalidation and appraisal",
        "Leadership and succession",
        "Concerns about practice, in aggregate",
    ):
        page.locator(".nhsuk-task-list").get_by_role("link", name=name).click()
        page.get_by_label("Narrative").fill(f"What the board should know about {name.lower()}.")
        page.get_by_role("button", name="Save the narrative").click()
        page.get_by_text(f"The narrative for {name} is saved.").wait_for()
    assert page.locator(".nhsuk-task-list").get_by_text("Narrative written").count() == 6
    issue = page.get_by_role("link", name="Issue the report")
    assert issue.bounding_box()["y"] < page.locator("#section-quality_safety").bounding_box()["y"]

    page.get_by_role("link", name="Issue the report").click()
    page.get_by_role("heading", name="Check your answers before you issue the report").wait_for()
    assert_accessible(page)
    report = BoardReport.objects.get(pk=int(page.url.rstrip("/").split("/")[-2]))
    assert report.status == "draft"  # nothing issued by looking
    page.get_by_role("button", name="Issue the report to the board").click()
    page.get_by_role("heading", name="Report issued to the board").wait_for()
    page.get_by_role("heading", name="What happens next").wait_for()
    assert_accessible(page)
    report.refresh_from_db()
    assert report.status == "issued" and "Surgery is next" in report.narratives["workforce"]

    context = browser.new_context(base_url=page.url.split("/t/")[0])
    ned = context.new_page()
    sign_in(ned, "ned")
    ned.wait_for_url("**/t/DEM001/")
    ned.goto(f"/t/DEM001/board/reports/{report.pk}/")
    ned.get_by_text("The figures and narratives below are those the board was shown").wait_for()
    assert ned.get_by_text("Surgery is next, from January.").count() == 1
    context.close()
