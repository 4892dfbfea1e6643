"""Issue 34, lead employers and host trusts, in a browser (ADR 0035): `hr3` (Riverside, the lead employer) records a
placement of one of its resident doctors in the demo trust on a phone (check your answers, the confirmation) and
finds it on its list; `hr` sees the demo's placed doctor (`placed`) on the host's rota; `placed` submits an exception
report, which reaches both `guardian` (the host's) and `guardian3` (the lead employer's), as their placement says;
and a report under the new placement, whose exception reports go to the lead employer's guardian only, opens for
`guardian3` and not for `guardian`. axe on every page; the placement pages fit a 375 px phone."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.organisation.models import TRAINEE_GRADES, ExceptionReportingBy, Person, Placement
from medlead.rota import services as rota_services
from medlead.rota.models import ExceptionReport, ReportKind
from tests.browser.conftest import assert_accessible, fill_date, follow_nav, sign_in

pytestmark = pytest.mark.django_db(transaction=True)
PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def fits(page: Any) -> None:
    assert page.evaluate(WIDTH) <= PHONE["width"], page.url
    assert_accessible(page)


def _unplaced_resident() -> Person:
    """A Riverside resident doctor with no placement and no account (written by hand: not the demo's two)."""
    placed = Placement.objects.values_list("employee_id", flat=True)
    return (
        Person.objects.filter(trust__code="DEM003", grade__in=TRAINEE_GRADES, active=True, user__isnull=True)
        .exclude(pk__in=placed)
        .order_by("pk")
        .first()
    )


def test_a_lead_employer_places_a_resident_doctor_and_their_reports_reach_the_guardians_named(
    browser: Any, live_server: Any, demo: None
) -> None:
    today = dates.today()
    resident = _unplaced_resident()
    assert resident is not None

    # --- hr3 records a placement in the demo trust, on a phone --------------------------------------------------
    context = browser.new_context(base_url=live_server.url, viewport=PHONE)
    page = context.new_page()
    sign_in(page, "hr3")
    page.wait_for_url("**/t/DEM003/")
    follow_nav(page, "People")
    page.get_by_role("link", name="Placements: resident doctors placed in other trusts").click()
    page.get_by_role("heading", name="Placements of resident doctors").wait_for()
    assert page.get_by_role("cell", name="Eastmoor Hospitals NHS Foundation Trust").count() == 1  # the demo's
    fits(page)
    page.get_by_role("link", name="Record a placement in a host trust").click()
    page.get_by_role("heading", name="Record a placement in a host trust").wait_for()
    fits(page)
    page.get_by_label("Resident doctor").fill(resident.gmc_number)
    page.get_by_label("Host trust", exact=True).select_option(label="Northbridge Hospitals NHS Foundation Trust")
    starts = today - dt.timedelta(days=14)
    fill_date(page, "First day of the placement", starts)
    fill_date(page, "Last day of the placement", starts + dt.timedelta(weeks=26))
    page.get_by_label("The lead employer's guardian").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you record the placement").wait_for()
    page.get_by_text(f"{resident.display_name} (GMC {resident.gmc_number})").wait_for()
    fits(page)
    page.get_by_role("button", name="Record the placement").click()
    page.get_by_role("heading", name="Placement recorded").wait_for()
    page.get_by_text("What happens next").wait_for()
    fits(page)
    page.get_by_role("link", name="Back to placements").click()
    page.get_by_role("link", name=resident.display_name).wait_for()
    fits(page)
    page.get_by_role("link", name=resident.display_name).click()
    page.get_by_role("heading", name=f"{resident.display_name}: placement in Northbridge").wait_for()
    fits(page)
    context.close()
    made = Placement.objects.get(employee=resident)
    assert made.exception_reporting == ExceptionReportingBy.LEAD_EMPLOYER and made.host.code == "DEM001"

    # --- hr sees the demo's placed doctor on the host's rota ------------------------------------------------------
    placed_doctor = Person.objects.get(user__username="placed")
    page = browser.new_page(base_url=live_server.url)
    sign_in(page, "hr")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Rotas").first.click()
    page.get_by_role("link", name="Surgical core trainees").click()
    page.get_by_role("heading", name="Surgical core trainees").wait_for()
    assert page.get_by_text(placed_doctor.display_name).count() >= 1
    assert_accessible(page)
    page.goto("/t/DEM001/placements/?side=in")
    page.get_by_role("link", name=placed_doctor.display_name).wait_for()
    assert_accessible(page)
    page.close()

    # --- placed submits an exception report: both guardians, as the placement says -------------------------------
    page = browser.new_page(base_url=live_server.url)
    sign_in(page, "placed")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/exception-reports/")
    page.get_by_role("link", name="Submit an exception report").click()
    page.get_by_role("heading", name="Submit an exception report").wait_for()
    assert_accessible(page)
    page.get_by_label("Rota").select_option(label="Surgical core trainees")
    fill_date(page, "Date of the event", today - dt.timedelta(days=2))
    page.get_by_label("Kind").select_option("hours")
    page.get_by_label("Extra time worked (minutes)").fill("45")
    page.get_by_label("What happened").fill("Stayed to finish a handover after a busy take.")
    page.get_by_label("Pay or time off in lieu").select_option("pay")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("heading", name="Exception report: extra hours worked").wait_for()
    page.get_by_text("Northbridge Hospitals NHS Foundation Trust's (the host) and Riverside").wait_for()
    assert_accessible(page)
    page.close()
    report = ExceptionReport.objects.get(doctor=placed_doctor, extra_minutes=45)

    for username, code in (("guardian", "DEM001"), ("guardian3", "DEM003")):
        page = browser.new_page(base_url=live_server.url)
        sign_in(page, username)
        page.wait_for_url(f"**/t/{code}/")
        page.get_by_role("link", name="exception reports in the trust still waiting for an outcome").click()
        page.locator(f"a[href='/t/{code}/exception-reports/{report.pk}/']").click()
        page.get_by_role("heading", name="Exception report: extra hours worked").wait_for()
        assert page.get_by_text(placed_doctor.display_name).count() >= 1
        assert_accessible(page)
        page.close()

    # --- under hr3's placement (the lead employer's guardian only): guardian3, and not the host's guardian -------
    at_host = made.placed_as
    lead_only = rota_services.report_submit(
        actor=SystemActor("the placed doctor, as the walk's set-up"),
        doctor=at_host,
        occurred_on=today - dt.timedelta(days=1),
        kind=ReportKind.HOURS,
        extra_minutes=30,
        description="A late finish.",
        preferred="pay",
    )
    page = browser.new_page(base_url=live_server.url)
    sign_in(page, "guardian3")
    page.wait_for_url("**/t/DEM003/")
    response = page.goto(f"/t/DEM003/exception-reports/{lead_only.pk}/")
    assert response is not None and response.status == 200
    assert_accessible(page)
    page.goto("/t/DEM003/exception-reports/")
    assert page.locator(f"a[href='/t/DEM003/exception-reports/{lead_only.pk}/']").count() == 1
    page.close()
    page = browser.new_page(base_url=live_server.url)
    sign_in(page, "guardian")
    page.wait_for_url("**/t/DEM001/")
    response = page.goto(f"/t/DEM001/exception-reports/{lead_only.pk}/")
    assert response is not None and response.status == 404
    assert_accessible(page)
    page.goto("/t/DEM001/exception-reports/")
    assert page.locator(f"a[href='/t/DEM001/exception-reports/{lead_only.pk}/']").count() == 0
    page.close()
