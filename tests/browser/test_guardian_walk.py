"""The demo guardian of safe working hours: a rota with a breach, an exception report, the quarterly report."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from medlead.rota.models import ExceptionReport
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_guardian_walks_rota_breach_report_and_quarterly_report(page: Any, demo: None) -> None:
    sign_in(page, "guardian")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="Rotas").first.click()
    page.get_by_role("heading", name="Rotas of resident doctors").wait_for()
    assert_accessible(page)

    page.get_by_role("link", name="Surgical core trainees").click()
    page.get_by_role("heading", name="Surgical core trainees").wait_for()
    assert_accessible(page)
    # the rota opens on the week of its first breach; every breach is also listed, each linking to its week
    breach_card = page.locator(".nhsuk-card__heading", has_text="A shift of 13 h 30 min is longer than the 13 h limit.")
    assert breach_card.count() == 1
    assert page.get_by_role("heading", name="Every breach on this rota").count() == 1
    assert page.locator(".ml-duty--breach").count() >= 1
    assert page.get_by_text("End this shift 30 min earlier, or split it.").count() == 1

    page.get_by_role("link", name="Rotas").first.click()
    page.get_by_role("link", name="Exception reports").click()
    page.get_by_role("heading", name="Exception reports").wait_for()
    assert_accessible(page)
    report = ExceptionReport.objects.filter(fine_category="").order_by("-occurred_on").first()
    assert report is not None
    page.goto(f"/t/DEM001/exception-reports/{report.pk}/")
    assert_accessible(page)
    page.get_by_label("Breach that attracts a fine").select_option("shift_over_13h")
    page.get_by_label("Hours of the breach").fill("0.5")
    page.get_by_label("The doctor's basic hourly rate (£)").fill("£25")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you record the fine").wait_for()
    page.get_by_text("0.5 hours × £25.00 × 4 (the penalty rate) = £50.00").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm the fine").click()
    page.get_by_role("heading", name="Fine recorded").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the report").click()
    report.refresh_from_db()
    assert report.fine_category == "shift_over_13h"
    # half an hour at 4 times £25, split 1.5 : 2.5 (data/guardian_fines.yaml)
    assert page.get_by_text("£50.00 (0.5 hours at the penalty rate").count() == 1
    assert (report.fine_to_doctor, report.fine_to_guardian) == (Decimal("18.75"), Decimal("31.25"))

    page.goto("/t/DEM001/guardian-report/")
    page.get_by_role("heading", level=1).wait_for()
    assert "report to the board" in page.get_by_role("heading", level=1).inner_text()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    path = download.value.path()
    with open(path, "rb") as fh:
        assert fh.read(4) == b"%PDF"
