"""Leave at 375 px (issue 32): `resident` asks for leave, checks the answers and sends it; `hr` opens the request
from the home page's task, sees its effect on cover and the rota's rule check with the leave applied, approves it
through check your answers, and the resident's duties in those days leave the rota."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone

from medlead.core import dates
from medlead.leave.models import LeaveRequest, LeaveStatus
from medlead.rota.models import Duty
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def fits(page: Any) -> None:
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url
    assert_accessible(page)


def test_a_resident_asks_for_leave_and_hr_approves_it_on_a_phone(browser: Any, live_server: Any, demo: None) -> None:
    today = dates.today()
    first = today + dt.timedelta(days=7 - today.weekday(), weeks=6)  # a Monday at least six weeks ahead
    last = first + dt.timedelta(days=1)

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "resident")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/leave/")
    page.get_by_role("heading", name="Your leave").wait_for()
    assert page.get_by_text("Waiting for a decision").count() >= 1  # the demo's request
    fits(page)
    page.get_by_role("link", name="Request leave").click()
    page.get_by_role("heading", name="Request leave").wait_for()
    fits(page)
    page.get_by_label("Annual leave", exact=True).check()
    fill_date(page, "First day of leave", first)
    fill_date(page, "Last day of leave", last)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you send your leave request").wait_for()
    page.get_by_text("At least 6 weeks").wait_for()
    fits(page)
    page.get_by_role("button", name="Send the request").click()
    page.get_by_role("heading", name="Leave request sent").wait_for()
    fits(page)
    context.close()
    leave = LeaveRequest.objects.get(first_day=first, person__user__username="resident")
    assert leave.status == LeaveStatus.WAITING and not leave.short_notice

    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "hr")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="leave requests waiting for your decision").click()
    page.get_by_role("heading", name="Leave requests waiting for your decision").wait_for()
    fits(page)
    page.goto(f"/t/DEM001/leave/{leave.pk}/")
    page.get_by_role("heading", name="Effect on cover").wait_for()
    page.get_by_role("heading", name="The rota's rule check with the leave applied").wait_for()
    fits(page)
    page.get_by_label("Approve", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you decide this leave request").wait_for()
    page.get_by_text("removes the doctor's").wait_for()
    fits(page)
    page.get_by_role("button", name="Confirm the decision").click()
    page.get_by_role("heading", name="Leave approved").wait_for()
    fits(page)
    context.close()

    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    starts = [timezone.localtime(d.start).date() for d in Duty.objects.filter(rota=leave.rota, person=leave.person)]
    assert not [d for d in starts if first <= d <= last]
