"""A doctor prepares for medical director; the medical director sees the succession plan."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.core import dates
from medlead.development.models import Action, Experience, Mentorship
from tests.browser.conftest import assert_accessible, fill_date, follow_nav, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_doctor_targets_medical_director_and_builds_a_plan(page: Any, demo: None) -> None:
    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Development").first.click()
    page.get_by_role("heading", name="My development").wait_for()
    assert_accessible(page)

    # the empty choice asks for a role, never "---------" (issue 31)
    assert page.get_by_label("Your target role").locator("option").first.inner_text() == "Choose a role"
    page.get_by_label("Your target role").select_option(label="Medical director / chief medical officer")
    page.get_by_role("button", name="Set target role").click()
    page.get_by_role("heading", name="Your gaps for medical director", exact=False).wait_for()
    gaps = page.locator("table").first.locator("tbody tr")
    assert gaps.count() >= 3  # the largest five; the rest behind "The other … gaps"
    assert "role expects" in page.locator("table").first.inner_text()
    # each suggestion's "Why" names what it addresses: the item, its framework and what the role expects, and
    # each starts with the largest gap it builds, so that two suggestions do not read the same (issue 31)
    whys = [page.locator("ol > li").nth(n).locator("ul li").first.inner_text() for n in range(2)]
    assert all(w.startswith("Builds '") and "role expects" in w for w in whys)
    assert len(set(page.locator("ol > li").nth(n).locator("ul").inner_text() for n in range(3))) == 3
    assert_accessible(page)

    for _ in range(2):
        page.get_by_role("button", name="Add to my plan").first.click()
        page.get_by_text("is in your development plan.").wait_for()
    assert Action.objects.filter(goal__plan__person__user__username="doctor").count() == 2
    page.get_by_role("link", name="Your development plan").click()
    page.get_by_role("heading", name="Your development plan").wait_for()
    assert page.locator("table tbody tr").count() == 2
    # an action's due date is the design system's date input (day, month, year), not a browser's date picker
    assert page.locator('input[type="date"]').count() == 0
    page.locator("summary", has_text="Add an action").first.click()
    page.locator("input[name='due_on[day]']").first.wait_for()
    assert_accessible(page)

    page.goto("/t/DEM001/development/")
    page.get_by_role("link", name="Ask for a mentor or coach").click()
    page.get_by_role("heading", name="Ask for a mentor or coach").wait_for()
    assert "Former medical director" in page.content()
    assert_accessible(page)
    page.get_by_label("Mentor or coach").select_option(index=1)
    page.get_by_label("What would you like help with?").fill("Preparing for a medical director role.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text("Your request has gone to").wait_for()
    assert Mentorship.objects.filter(mentee__user__username="doctor", status="requested").count() == 1

    page.get_by_role("link", name="Log an experience").click()
    page.get_by_label("Kind", exact=True).select_option(label="Shadowing")
    page.get_by_label("Title", exact=True).fill("A day shadowing the medical director")
    fill_date(page, "Started on", dates.today())
    page.get_by_label("Reflection", exact=True).fill("Saw how the executive team weighs quality against money.")
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Experience log").wait_for()
    assert page.get_by_text("A day shadowing the medical director").count() == 1
    assert Experience.objects.filter(person__user__username="doctor", kind="shadowing").count() == 1

    page.goto("/t/DEM001/development/readiness/")
    page.get_by_role("heading", name="Your readiness for medical director", exact=False).wait_for()
    assert "A day shadowing the medical director" in page.content()
    assert_accessible(page)
    with page.expect_download() as info:
        page.get_by_role("link", name="Download the readiness report as a PDF").click()
    path = info.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"


def test_medical_director_sees_succession_plan_with_at_risk_posts_first(page: Any, demo: None) -> None:
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    follow_nav(page, "Talent")  # in the header's row, or under "More" where the row is full
    page.get_by_role("heading", name="Succession plans").wait_for()
    assert_accessible(page)
    rows = page.locator("table tbody tr")
    assert rows.count() > 10
    assert "At risk" in rows.first.inner_text()
    lede = page.locator(".nhsuk-lede-text").inner_text()
    assert "posts are at risk" in lede and not lede.startswith("0 ")
    # the medical director's own post has no named successor in the demo trust and is flagged
    md_row = page.locator("table tbody tr", has_text="Medical director")
    assert "No successor is named." in md_row.first.inner_text()
    page.get_by_role("link", name="Pipeline").click()
    page.get_by_role("heading", name="Diversity (aggregate)").wait_for()
    assert_accessible(page)
