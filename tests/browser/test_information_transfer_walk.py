"""Issue 34, done when (the information transfer): Northbridge's responsible officer (`ro`) finds the request they
made for the moved doctor's information transfer, Eastmoor's (`ro2`) completes it with medlead's facts filled in,
checks the answers and sends it, `ro` reads it and downloads its PDF, the doctor (`moved`) sees that it happened, and
both trusts' medical directors, the regional medical director and another doctor are answered "not found"; axe on
every page of the walk."""

from __future__ import annotations

from typing import Any

import pytest

from medlead.core import dates
from medlead.transfers.models import InformationTransfer
from tests.browser.conftest import assert_accessible, fill_date, sign_in
from tests.pdf_text import pdf_text

pytestmark = pytest.mark.django_db(transaction=True)

WORK = "Consultant cardiologist at Eastmoor General, with a weekly clinic at the community hospital."


def _switch(page: Any, username: str) -> None:
    page.context.clear_cookies()
    sign_in(page, username)
    page.wait_for_load_state()


def _answer(page: Any, question: str, answer: str) -> None:
    page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


def test_a_moved_doctors_information_transfer_is_asked_for_completed_sent_and_read_by_the_new_ro_only(
    page: Any, demo: None
) -> None:
    today = dates.today()
    waiting = InformationTransfer.objects.get(doctor__gmc_number="6034001", status="requested")
    doctor = waiting.doctor.display_name

    # Northbridge's responsible officer: the earlier transfer to read, then the list, where the request waits
    sign_in(page, "ro")
    page.wait_for_url("**/t/DEM001/")
    page.get_by_role("link", name="1 information transfer sent to you, not yet read").click()
    page.get_by_text("Confidential: only the responsible officer of Northbridge").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Information transfers").first.click()
    page.get_by_role("heading", name="Information transfers", exact=True).wait_for()
    assert_accessible(page)
    # asking again for the moved doctor: the GMC link names Eastmoor, and the request already made is found
    page.get_by_role("link", name="Ask for a doctor's information transfer").click()
    page.get_by_label("Which doctor has joined your trust?").wait_for()
    assert_accessible(page)
    page.get_by_label("Which doctor has joined your trust?").fill(waiting.doctor.gmc_number)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("Eastmoor Hospitals NHS Foundation Trust (DEM002): a record no longer active").wait_for()
    assert page.get_by_label("Their previous designated body").input_value() == "DEM002"
    assert_accessible(page)
    fill_date(page, "The day they joined your trust", waiting.joined_on)
    page.get_by_role("button", name="Continue").click()
    page.get_by_text("and it is still waiting").first.wait_for()
    assert_accessible(page)
    page.goto(f"/t/DEM001/information-transfers/{waiting.pk}/")
    page.get_by_text("Waiting for the responsible officer of Eastmoor").wait_for()
    assert_accessible(page)

    # Eastmoor's responsible officer completes it: medlead's facts are filled in, to check
    _switch(page, "ro2")
    page.goto("/t/DEM002/")
    page.get_by_role("link", name="1 information transfer another trust asked you for, to complete").click()
    page.get_by_role("link", name="Complete the form").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Complete the form").click()
    page.get_by_text("Some answers are filled in from what medlead holds").wait_for()
    assert "signed off" in page.get_by_label("Appraisals while connected to you").input_value()
    assert_accessible(page)
    page.get_by_label("The work the doctor did for your organisation").fill(WORK)
    for question in (
        "Were you concerned that the doctor was not engaging with appraisal or revalidation?",
        "Was there any concern about the doctor's practice that could affect patient safety, resolved or not?",
        "Was there any concern about the doctor's probity, or any criminal caution or conviction, that could affect "
        "the public's confidence in the profession?",
        "Was the doctor the subject of an investigation or a formal process (conduct, capability or health; a GMC "
        "investigation), open or closed?",
        "Were there GMC conditions or undertakings, warnings, or local restrictions or exclusions on the doctor's "
        "practice?",
        "Is any matter about the doctor still open, for the new responsible officer to follow up?",
    ):
        _answer(page, question, "No")
    page.get_by_label("I confirm that, to the best of my knowledge").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name="Check your answers before you send the information transfer").wait_for()
    assert_accessible(page)
    page.get_by_role("button", name="Confirm and send it").click()
    page.get_by_role("heading", name="Information transfer sent").wait_for()
    page.get_by_role("heading", name="What happens next").wait_for()
    assert_accessible(page)
    page.get_by_role("link", name="Back to the information transfer").click()
    page.get_by_text(f"You sent it on {today:%-d %B %Y}").wait_for()
    assert WORK not in page.content()

    # Northbridge's responsible officer reads it, and its PDF
    _switch(page, "ro")
    page.goto("/t/DEM001/")
    page.get_by_role("link", name="1 information transfer sent to you, not yet read").click()
    page.get_by_text(WORK).wait_for()
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Download it as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        text = pdf_text(fh.read())
    assert doctor in text and "Eastmoor Hospitals NHS Foundation Trust" in text and WORK in text
    assert "Northbridge Hospitals NHS Foundation Trust" in text and "Agreement and sign-off" in text

    # the doctor sees that it happened, never what it says
    _switch(page, "moved")
    page.goto("/t/DEM001/")
    page.get_by_role("link", name="Your information transfer between responsible officers: see what happened").click()
    page.get_by_role("heading", name="Your information transfers").wait_for()
    page.get_by_text(f"Sent on {today:%-d %B %Y}").wait_for()
    assert WORK not in page.content()
    assert_accessible(page)

    # nobody else: both medical directors, the regional medical director, another doctor
    for username in ("md", "md2", "rmd", "doctor"):
        _switch(page, username)
        for code in ("DEM001", "DEM002"):
            for tail in ("", "pdf/"):
                response = page.goto(f"/t/{code}/information-transfers/{waiting.pk}/{tail}")
                assert response is not None and response.status == 404, (username, code, tail)
        assert WORK not in page.content()


PHONE = {"width": 375, "height": 812}
WIDTH = "Math.max(document.documentElement.scrollWidth, document.body.scrollWidth)"


def test_every_information_transfer_page_fits_a_375_px_phone(browser: Any, live_server: Any, demo: None) -> None:
    """The pages of the walk, for each party, at 375 px: none scrolls sideways (tests/browser/test_phone_width.py
    measures the demo trust's accounts' home pages and their links; these are the other parties' pages too)."""
    waiting = InformationTransfer.objects.get(doctor__gmc_number="6034001", status="requested")
    sent = InformationTransfer.objects.get(doctor__gmc_number="6034002", status="sent")
    pages = {
        "ro": [
            "/t/DEM001/information-transfers/",
            "/t/DEM001/information-transfers/new/",
            f"/t/DEM001/information-transfers/new/?doctor={waiting.doctor.gmc_number}",
            f"/t/DEM001/information-transfers/{waiting.pk}/",
            f"/t/DEM001/information-transfers/{waiting.pk}/withdraw/",
            f"/t/DEM001/information-transfers/{sent.pk}/",
        ],
        "ro2": [
            "/t/DEM002/information-transfers/",
            f"/t/DEM002/information-transfers/{waiting.pk}/",
            f"/t/DEM002/information-transfers/{waiting.pk}/complete/",
            f"/t/DEM002/information-transfers/{waiting.pk}/not-connected/",
            f"/t/DEM002/information-transfers/{sent.pk}/",
        ],
        "moved": [
            "/t/DEM001/",
            "/t/DEM001/information-transfers/yours/",
            f"/t/DEM001/information-transfers/{waiting.pk}/",
        ],
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
        context.close()
    assert not too_wide, "\n".join(too_wide)
