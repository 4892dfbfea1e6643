"""Issue 32, publishing: at 375 px, `hr` publishes the next rotation's rota to its doctors (check your answers with
the notice against the Code of Practice, then the confirmation), and the medical director finds "Work schedules and
rotas issued on time" on the board's view with its chart."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.core import dates
from medlead.rota.models import RotaPublication
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def _fits(page: Any) -> None:
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth"), page.url


def test_hr_publishes_a_rota_and_the_board_sees_the_notice_metric(page: Any, demo: None) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    sign_in(page, "hr")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/rotas/")
    page.get_by_role("link", name="Acute medicine: the next rotation").click()
    page.get_by_text("Not published yet").wait_for()
    page.get_by_role("link", name="Publish the rota for a rotation").click()
    page.get_by_role("heading", name="Publish Acute medicine: the next rotation to its doctors").wait_for()
    assert_accessible(page)
    _fits(page)
    today = dates.today()
    fill_date(page, "The rotation starts on", today + dt.timedelta(days=42))
    fill_date(page, "The work schedule was issued on", today - dt.timedelta(days=14))
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you publish the rota").wait_for()
    page.get_by_text("6 weeks before its first day (at least 6 weeks asked): on time").wait_for()
    assert_accessible(page)
    _fits(page)
    page.get_by_role("button", name="Publish the rota").click()
    page.get_by_role("heading", name="Rota published").wait_for()
    assert_accessible(page)
    _fits(page)
    assert RotaPublication.objects.filter(rota__name="Acute medicine: the next rotation", rota_on_time=True).exists()
    page.get_by_role("link", name="Back to Acute medicine: the next rotation").click()
    page.get_by_text("Rotation starting").first.wait_for()

    # the short notice of the registrars' rotation shows on its rota page
    page.goto("/t/DEM001/rotas/")
    page.get_by_role("link", name="Acute medicine registrars").click()
    page.locator(".nhsuk-card__heading", has_text="late").first.wait_for()

    page.context.clear_cookies()
    sign_in(page, "md")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/board/")
    page.get_by_role("link", name="Work schedules and rotas issued on time").first.click()
    page.locator("svg").first.wait_for()
    assert_accessible(page)
    _fits(page)
