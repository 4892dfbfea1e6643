"""A demo doctor runs a 360 end to end: nominate, raters answer through their private links, close, report,
PDF; and the medical director sees only the anonymised trust view."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.core import mail

from medlead.accounts.models import User
from medlead.core import dates
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_doctor_runs_a_360_end_to_end(page: Any, demo: None, browser: Any, live_server: Any) -> None:
    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Leadership").first.click()
    page.get_by_role("heading", name="Leadership development").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for 360 feedback").click()
    page.get_by_label("Framework").select_option(label="Healthcare Leadership Model (NHS Leadership Academy, 2013)")
    fill_date(page, "Closing date", dates.today() + dt.timedelta(days=14))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Responses so far").wait_for()
    assert_accessible(page)

    mail.outbox.clear()
    raters = [
        ("line_manager", "Lena Lead"),
        ("peer", "Pat One"),
        ("peer", "Pat Two"),
        ("peer", "Pat Three"),
        ("direct_report", "Dee Solo"),
    ]
    for n, (group, name) in enumerate(raters):
        page.get_by_label(f"Group of rater {n + 1}").select_option(group)
        page.get_by_label(f"Name of rater {n + 1}").fill(name)
        page.get_by_label(f"Email of rater {n + 1}").fill(f"rater{n}@example.org")
    page.get_by_role("button", name="Send for approval").click()
    page.get_by_text("5 nominations sent to your line manager for approval").wait_for()
    assert "5 nominations await approval" in page.content()
    assert not [m for m in mail.outbox if "feedback/" in m.body]  # no invitation before approval

    # the medical director, at the top of the doctor's line management, approves: these addresses are nobody the
    # trust knows, so each is confirmed explicitly
    approver_context = browser.new_context(base_url=live_server.url)
    approver = approver_context.new_page()
    sign_in(approver, "md")
    approver.wait_for_url("**/t/DEM001/")
    # the demo's clinical director has a 360 waiting for the medical director too: pick the doctor's
    doctor = User.objects.get(username="doctor").person
    assert doctor is not None
    subject = doctor.display_name
    approver.get_by_role("link", name=re.compile("360 feedback cycles? with nominations to approve")).click()
    approver.get_by_role("link", name=re.compile(f"{re.escape(subject)}: Healthcare Leadership Model")).first.click()
    approver.get_by_role("heading", level=1).wait_for()
    assert_accessible(approver)
    for n, (_, name) in enumerate(raters):
        approver.get_by_label(f"I confirm this address belongs to {name}").check()
        approver.get_by_role("radio", name="Approve").nth(n).check()
    approver.get_by_role("button", name="Save decisions").click()
    approver.get_by_text("5 approved and invited; 0 declined.").wait_for()
    approver_context.close()
    page.reload()
    assert "0 of 5" in page.content()

    page.get_by_role("link", name="Rate yourself").click()
    page.get_by_role("heading", name="Rate yourself").wait_for()
    for radio in page.get_by_role("radio", name="Strong").all():
        radio.check()
    page.get_by_role("button", name="Submit").click()
    page.get_by_role("heading", name="Thank you").wait_for()

    links = [
        re.search(r"(/feedback/[^/\s]+/)", m.body).group(1)  # type: ignore[union-attr]
        for m in mail.outbox
        if "/feedback/" in m.body
    ]
    assert len(links) == 5
    rater_context = browser.new_context(base_url=live_server.url)
    rater_page = rater_context.new_page()
    for n, link in enumerate(links):
        rater_page.goto(link)
        rater_page.get_by_role("heading", level=1).wait_for()
        if n == 0:
            assert_accessible(rater_page)
            assert "identifiable" in rater_page.content()
        for radio in rater_page.get_by_role("radio", name="Proficient").all():
            radio.check()
        rater_page.get_by_label("Comments (shown without your name)").fill(f"Feedback number {n}")
        rater_page.get_by_role("button", name="Submit").click()
        rater_page.get_by_role("heading", name="Thank you").wait_for()
    rater_page.goto(links[0])
    assert "already submitted" in rater_page.content()
    rater_context.close()

    page.goto(page.url.split("/feedback/")[0] + "/t/DEM001/leadership/")
    page.get_by_role("link", name=re.compile("Healthcare Leadership Model.*closing")).first.click()
    page.get_by_text("5 of 5").first.wait_for()  # the cycle's page, loaded (not the list it was opened from)
    # the doctor sees whom they nominated and that each was invited, never who has answered
    nominees = page.locator("#nominees li", has_text="Pat One").inner_text()
    assert "invited" in nominees.lower() and "answer" not in nominees.lower()
    page.get_by_role("link", name="Close and see the report").click()
    page.get_by_role("heading", name="Check your answers before you close this 360").wait_for()
    assert "5 of 5 people invited" in page.content()
    page.get_by_role("button", name="Close and see the report").click()
    page.get_by_role("heading", name="Your 360 is closed").wait_for()
    page.get_by_role("link", name="See your report").click()
    page.get_by_role("heading", name="Strengths", exact=True).wait_for()
    assert_accessible(page)
    body = page.content()
    assert "Blind spots" in body and "Peers" in body
    assert "Feedback number 4" not in body  # the lone direct report is folded away, comment too
    for name in ("Lena", "Pat One", "Dee Solo", "@example.org"):
        assert name not in body
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        assert fh.read(4) == b"%PDF"
