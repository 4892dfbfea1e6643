"""The demo medical director reads the board's view, opens the draft report for the next board meeting, edits a
narrative and downloads the report as a PDF; a non-executive director reads the issued one."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)


def test_medical_director_edits_the_board_report_and_downloads_it(page: Any, demo: None) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_text("actions you own are overdue").wait_for()  # the action log chases the medical director
    page.get_by_role("link", name="The board's view: metrics over time").click()
    page.get_by_role("heading", name="The board's view").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Summary Hospital-level Mortality Indicator (SHMI)").click()
    page.get_by_text("Special cause variation: improving").first.wait_for()  # seven months falling: a trend
    assert_accessible(page)

    page.get_by_role("link", name="The board's view").click()
    page.get_by_role("link", name="Meetings, decisions and board reports").click()
    page.get_by_role("table").get_by_role("link").first.click()  # the next meeting, newest first
    page.get_by_role("link", name="Version 1").click()
    page.get_by_text("is a draft").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Edit the narrative for Medical workforce").click()
    page.get_by_label("Narrative").fill("Job planning is recovering in medicine; surgery is next.")
    page.get_by_role("button", name="Save").click()
    page.get_by_text("Job planning is recovering in medicine; surgery is next.").wait_for()

    with page.expect_download() as download:
        page.get_by_role("link", name="Download the report as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        text = " ".join(pdf_text(fh.read()).split())
    assert "Medical director's report to the trust board" in text
    assert "Job planning is recovering in medicine; surgery is next." in text
    assert "draft" in text and "Hospitals NHS Foundation Trust" in text


def test_a_non_executive_reads_the_issued_report(page: Any, demo: None) -> None:
    sign_in(page, "ned")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="The board's view: metrics over time").click()
    page.get_by_role("link", name="Meetings, decisions and board reports").click()
    page.get_by_role("table").get_by_role("link").nth(1).click()  # the last meeting held
    page.get_by_role("link", name="Version 1").click()
    page.get_by_text("The figures and narratives below are those the board was shown.").wait_for()
    assert page.get_by_role("link", name="Edit the narrative for Medical workforce").count() == 0
    assert_accessible(page)
