"""Issue 34, development across trusts, in the demo's region: ``doctor`` (DEM001) applies for the secondment
Eastmoor (DEM002) published to the region and ``md2`` decides it; ``doctor`` asks ``mentor2``, a mentor of DEM002 in
the region's bank, who sees the request at their own trust and accepts; ``doctor`` joins the regional talent pool,
where the regional medical director (``rmd``) and DEM001's medical director (``md``) find them. axe on every page."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.accounts.models import User
from medlead.development.models import Interest, Mentor, Mentorship, OpeningPublication
from medlead.structure.models import Secondment
from medlead.talent.models import PoolMember
from tests.browser.conftest import assert_accessible, follow_nav, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _as(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900}).new_page()
    sign_in(page, username)
    page.wait_for_load_state()
    return page


def test_a_doctor_applies_across_trusts_asks_a_regional_mentor_and_joins_the_talent_pool(
    page: Any, demo: None, browser: Any, live_server: Any
) -> None:
    doctor = User.objects.get(username="doctor").person
    assert doctor is not None
    published = OpeningPublication.objects.select_related("opening__trust").get(
        opening__trust__code="DEM002", to_trust__code="DEM001"
    )
    opening, eastmoor = published.opening, published.opening.trust.name

    # the doctor sees DEM002's opening among DEM001's, and applies, keeping it from their own trust
    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    follow_nav(page, "Development")
    page.get_by_role("link", name="Openings", exact=True).click()
    page.get_by_role("heading", name="Openings", exact=True).wait_for()
    assert eastmoor in page.get_by_role("listitem").filter(has_text=opening.title).inner_text()
    assert_accessible(page)
    page.get_by_role("link", name=opening.title).click()
    page.get_by_role("heading", name=opening.title).wait_for()
    assert f"An opening of {eastmoor}" in page.content()
    assert_accessible(page)
    page.get_by_label("Why you want it and what you would bring").fill("I run our theatre productivity work.")
    page.get_by_role("button", name="Apply").click()
    page.get_by_text(f"Your application has gone to {eastmoor}").wait_for()
    page.get_by_role("link", name="Your application").click()
    page.get_by_role("heading", name=opening.title).wait_for()
    assert "sees nothing of it" in page.content()
    assert_accessible(page)
    interest = Interest.objects.get(opening=opening, person=doctor)
    assert not interest.shared_with_home

    # the doctor asks a mentor of DEM002 from the region's bank
    page.goto("/t/DEM001/development/mentors/")
    page.get_by_role("heading", name="Mentors and coaches").wait_for()
    mentor = User.objects.get(username="mentor2").person
    assert mentor is not None and mentor.display_name in page.content()
    assert_accessible(page)
    page.get_by_role("link", name="Ask for a mentor or coach").click()
    page.get_by_role("heading", name="Ask for a mentor or coach").wait_for()
    assert_accessible(page)
    page.get_by_label("Mentor or coach").select_option(label=f"{mentor.display_name}, {eastmoor}")
    page.get_by_label("What would you like help with?").fill("Leading work across trusts.")
    page.get_by_role("button", name="Send request").click()
    page.get_by_text(f"Your request has gone to {mentor.display_name}").wait_for()
    asked = Mentorship.objects.get(mentee=doctor, mentor__person=mentor)
    assert asked.status == "requested"

    # the doctor joins the regional talent pool: checked, then confirmed
    page.goto("/t/DEM001/development/")
    page.get_by_role("link", name="Your place in the talent pool").click()
    page.get_by_role("heading", name="Your place in the talent pool").wait_for()
    assert_accessible(page)
    page.get_by_label("Also share the target role and aspirations of my career plan").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you join the talent pool").wait_for()
    assert doctor.display_name in page.content()
    assert_accessible(page)
    page.get_by_role("button", name="Join the talent pool").click()
    page.get_by_role("heading", name="You are in the talent pool").wait_for()
    assert_accessible(page)
    assert PoolMember.objects.get(person=doctor).share_career

    # DEM002's medical director sees the application, with the doctor's trust, and selects them
    md2 = _as(browser, live_server, "md2")
    md2.goto(f"/t/DEM002/development/openings/{opening.pk}/")
    md2.get_by_role("heading", name=opening.title).wait_for()
    label = md2.get_by_text(f"{doctor.display_name}, {doctor.trust.name}")
    assert label.count() == 1
    assert_accessible(md2)
    label.click()
    md2.get_by_role("button", name="Decide and tell everyone").click()
    md2.get_by_text("Decided: everyone who expressed interest is being told.").wait_for()
    interest.refresh_from_db()
    assert interest.status == "selected"

    # the mentor sees the request among what needs them at DEM002, and accepts it there
    mentor_page = _as(browser, live_server, "mentor2")
    mentor_page.goto("/t/DEM002/")
    mentor_page.get_by_role("link", name="request for mentoring to answer").first.click()
    mentor_page.get_by_text("This page is private to the two of you: neither trust reads it.").wait_for()
    assert doctor.display_name in mentor_page.content()
    assert_accessible(mentor_page)
    mentor_page.get_by_role("button", name="Accept").click()
    mentor_page.get_by_text("Saved.").wait_for()
    asked.refresh_from_db()
    assert asked.status == "active"

    # the regional medical director and DEM001's medical director find the doctor in the pool
    rmd = _as(browser, live_server, "rmd")
    rmd.goto("/t/DEM001/development/")
    rmd.get_by_role("link", name="Search the regional talent pool").click()
    rmd.get_by_role("heading", name="Regional talent pool", exact=False).wait_for()
    rmd.get_by_label("Trust", exact=True).select_option(label=doctor.trust.name)
    rmd.get_by_role("button", name="Search").click()
    rmd.get_by_role("cell", name=doctor.display_name).wait_for()
    assert_accessible(rmd)
    md = _as(browser, live_server, "md")
    md.goto("/t/DEM001/talent/succession/")
    md.get_by_role("link", name="Regional talent pool").click()
    md.get_by_role("heading", name="Regional talent pool", exact=False).wait_for()
    assert md.get_by_role("cell", name=doctor.display_name).count() == 1
    assert_accessible(md)
    # the secondment of one of DEM001's consultants to DEM002, as DEM001's structure shows it
    md.goto("/t/DEM001/structure/secondments/")
    md.get_by_role("heading", name="Secondments", exact=True).wait_for()
    assert eastmoor in md.content() and "Agreed" in md.content()
    assert_accessible(md)


PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def test_the_cross_trust_pages_fit_a_375_px_phone_and_pass_axe(browser: Any, live_server: Any, demo: None) -> None:
    """Each page of development across trusts, for the demo accounts that read it (tests/browser/test_phone_width.py
    reaches only those linked from DEM001's home pages), fits a phone and has no WCAG 2.2 AA violation."""
    published = OpeningPublication.objects.get(opening__trust__code="DEM002", to_trust__code="DEM001")
    opening = published.opening
    shared = Interest.objects.get(opening=opening, shared_with_home=True)
    secondment = Secondment.objects.get(home_trust__code="DEM001", status="agreed")
    waiting = Secondment.objects.get(home_trust__code="DEM001", status="proposed")
    assert secondment.home_holding is not None
    mentor = Mentor.objects.filter(trust__code="DEM001", in_regional_bank=True).first()
    assert mentor is not None
    pages = {
        "doctor": [
            "/t/DEM001/development/",
            "/t/DEM001/development/openings/",
            f"/t/DEM001/development/openings/{opening.pk}/",
            "/t/DEM001/development/mentors/",
            "/t/DEM001/development/mentoring/request/",
            "/t/DEM001/talent/pool/me/",
        ],
        "md": [
            "/t/DEM001/development/openings/",
            f"/t/DEM001/development/applications/{shared.pk}/",
            "/t/DEM001/development/mentors/",
            f"/t/DEM001/development/mentors/{mentor.pk}/region/",
            "/t/DEM001/talent/pool/",
            "/t/DEM001/structure/secondments/",
            f"/t/DEM001/structure/secondments/{secondment.pk}/",
            f"/t/DEM001/structure/secondments/{waiting.pk}/",
            "/t/DEM001/structure/posts/",
            f"/t/DEM001/structure/posts/{secondment.home_holding.post_id}/",
        ],
        "md2": [
            f"/t/DEM002/development/openings/{opening.pk}/",
            f"/t/DEM002/development/applications/{shared.pk}/",
            "/t/DEM002/structure/secondments/",
            "/t/DEM002/structure/secondments/new/",
            f"/t/DEM002/structure/secondments/{secondment.pk}/",
            "/t/DEM002/talent/pool/",
        ],
        "mentor2": ["/t/DEM002/development/", "/t/DEM002/development/mentors/"],
        "cd": [
            "/t/DEM001/development/",
            f"/t/DEM001/development/applications/{shared.pk}/",
            "/t/DEM001/talent/pool/me/",
        ],
        "rmd": ["/t/DEM001/development/", "/t/DEM002/talent/pool/", f"/t/DEM002/development/openings/{opening.pk}/"],
    }
    too_wide = []
    for username, urls in pages.items():
        context = browser.new_context(base_url=live_server.url, viewport=PHONE)
        page = context.new_page()
        sign_in(page, username)
        page.wait_for_load_state()
        for url in urls:
            response = page.goto(url)
            assert response is not None and response.status == 200, (username, url)
            width = page.evaluate(WIDTH)
            if width > PHONE["width"]:
                too_wide.append(f"{username} {url}: {width} px")
            assert_accessible(page)
        context.close()
    assert not too_wide, "\n".join(too_wide)
