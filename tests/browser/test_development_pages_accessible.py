"""Every development and talent page passes axe (WCAG 2.2 AA) with the demo trust's data on it."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.accounts.models import User
from medlead.development.models import Mentor, Opening
from medlead.development.services import mentorship_request as request_mentor
from medlead.talent.models import Successor, TalentReview
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_development_and_talent_pages_are_accessible(page: Any, browser: Any, demo: None) -> None:
    opening = Opening.objects.filter(status="open").first()
    review = TalentReview.objects.first()
    post_id = Successor.objects.values_list("post_id", flat=True).first()
    assert opening and review and post_id
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    for path in [
        "development/opportunities/",
        "development/openings/",
        f"development/openings/{opening.pk}/",
        "development/openings/new/",
        "development/mentors/",
        "development/mentors/new/",
        "talent/pipeline/",
        "talent/reviews/",
        f"talent/reviews/{review.pk}/",
        "talent/reviews/new/",
        "talent/nominate/",
        f"talent/succession/{post_id}/",
    ]:
        page.goto(f"/t/DEM001/{path}")
        assert page.locator("h1").count() == 1, path
        assert_accessible(page)

    user = User.objects.get(username="doctor")
    external = Mentor.objects.filter(person__isnull=True).first()
    assert user.person is not None and external is not None
    m = request_mentor(actor=user, mentee=user.person, mentor=external, goals="Board skills")
    context = browser.new_context(base_url=page.url.split("/t/")[0])
    doctor = context.new_page()
    sign_in(doctor, "doctor")
    doctor.wait_for_url("**/t/DEM001/")
    for path in [
        "development/career/",
        "development/experience/",
        "development/plans/new/",
        f"development/mentoring/{m.pk}/",
    ]:
        doctor.goto(f"/t/DEM001/{path}")
        assert_accessible(doctor)
    context.close()
