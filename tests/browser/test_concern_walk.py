"""The demo medical director walks a capability concern from intake through an exclusion review to an outcome."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.concerns.models import Case
from medlead.core import dates
from medlead.organisation.models import Person
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_medical_director_takes_a_concern_from_intake_to_outcome(page: Any, demo: None) -> None:
    from medlead.accounts.models import User

    md = User.objects.get(username="md").person
    doctor = Person.objects.filter(grade="specialty_doctor").exclude(pk__in=Case.objects.values("doctor")).first()
    assert md is not None and doctor is not None
    today = dates.today()
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Concerns", exact=True).first.click()
    page.get_by_role("heading", name="Concerns about practice").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Record a concern").click()
    page.get_by_label("The doctor concerned").fill(doctor.gmc_number)
    page.get_by_label("Who raised the concern").fill("Clinical lead for anaesthesia")
    fill_date(page, "When it was raised", today - dt.timedelta(days=3))
    page.get_by_label("Capability (clinical performance)").check()
    page.get_by_label("Where it came from").select_option(label="An incident")
    page.get_by_label("The concern", exact=True).fill("Two drug errors in a week.")
    page.get_by_label("Case manager").fill(md.gmc_number)
    assert_accessible(page)
    page.get_by_role("button", name="Record the concern").click()
    page.get_by_text("The concern is recorded.").wait_for()
    assert_accessible(page)

    page.get_by_label("Exclusion or restriction").select_option(label="Immediate exclusion")
    fill_date(page, "Starts on", today - dt.timedelta(days=2))
    fill_date(page, "Review by", today + dt.timedelta(days=20))
    page.get_by_role("button", name="Continue").first.click()
    page.get_by_text("can last at most 14 days").first.wait_for()  # MHPS: two weeks at most
    fill_date(page, "Review by", today + dt.timedelta(days=10))
    page.get_by_role("button", name="Continue").first.click()
    # check your answers, then the confirmation with what happens next (issue 31)
    page.get_by_role("heading", name="Check your answers", exact=False).first.wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Record the immediate exclusion").click()
    page.get_by_role("heading", name="Immediate exclusion recorded").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the case").click()

    # closing is not offered yet: what it needs is listed instead (issue 31)
    page.get_by_role("heading", name="Before the case can be closed").wait_for()
    assert page.get_by_role("button", name="Close the case").count() == 0
    page.get_by_role("link", name="Review the immediate exclusion", exact=False).first.click()
    page.get_by_label("Lift it: it ends today").check()
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers", exact=False).first.wait_for()
    page.get_by_role("button", name="Record the review").click()
    page.get_by_role("heading", name="Immediate exclusion lifted").wait_for()
    page.get_by_text("The doctor may return to work").wait_for()
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_label("Decision", exact=True).select_option(label="Resolve informally")
    page.get_by_label("Reasons").fill("Supervised practice for a month; errors explained by a new system.")
    fill_date(page, "Decided on", today)
    page.locator("form[action$='/decision/']").get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers", exact=False).first.wait_for()
    page.get_by_role("button", name="Record the decision").click()
    page.get_by_role("heading", name="Decision recorded").wait_for()
    page.get_by_role("link", name="Back to the case").click()
    page.get_by_role("button", name="Close the case").click()
    page.get_by_role("heading", name="Check your answers before you close the case").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Close the case").click()
    page.get_by_role("heading", name="Case closed").wait_for()
    page.get_by_text("What happens next").wait_for()
    case = Case.objects.get(doctor=doctor)
    assert case.status == "closed" and case.decision == "informal"
