"""Colleague and patient feedback for revalidation in a browser (issue 33): the demo `doctor` starts an exercise,
invites colleagues with the person picker, prints patient cards (a PDF with each code and its QR code), four
colleagues answer through their private links and five patients through the codes on a phone-sized screen, and the
counts on the doctor's page move. Axe on the doctor's pages and the patient's. (Task A2 adds the facilitator's
release, the reflection and the responsible officer's view.)"""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core import mail
from pypdf import PdfReader

from medlead.accounts.models import User
from medlead.core import dates
from medlead.feedback.models import CODE_ALPHABET, Exercise, Response
from medlead.organisation.models import Person
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CODE = re.compile(rf"\b([{CODE_ALPHABET}]{{4}}) ([{CODE_ALPHABET}]{{4}})\b")


def _count(page: Any, which: str) -> str:
    return str(page.locator(f"[data-count={which}]").inner_text()).strip()


def test_a_doctor_collects_colleague_and_patient_feedback(
    page: Any, demo: None, browser: Any, live_server: Any
) -> None:
    doctor = User.objects.get(username="doctor").person
    facilitator = User.objects.get(username="hr").person
    assert doctor is not None and facilitator is not None
    # the demo's own exercise for the doctor is closed first: a doctor has one open at a time
    Exercise.objects.filter(doctor=doctor).update(status="closed")

    sign_in(page, "doctor")
    page.wait_for_url("**/t/DEM001/")
    page.goto("/t/DEM001/revalidation-feedback/")
    assert_accessible(page)
    page.get_by_role("link", name="Start a feedback exercise").click()
    page.get_by_label("Who will run your exercise?").select_option(label=facilitator.display_name)
    fill_date(page, "Close date", dates.today() + dt.timedelta(days=42))
    page.get_by_label("Patient questionnaire", exact=True).select_option(index=1)
    assert_accessible(page)
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("heading", name=re.compile("Check your answers")).wait_for()
    assert facilitator.display_name in page.content()
    page.get_by_role("button", name="Start the exercise").click()
    page.get_by_role("heading", name="Your feedback exercise has started").wait_for()
    page.get_by_role("link", name="Go to your exercise").click()
    page.get_by_role("heading", name="Answers so far").wait_for()
    assert_accessible(page)
    assert "recommended, not required" in page.content()
    assert (_count(page, "colleagues"), _count(page, "patients")) == ("0", "0")
    exercise_url = page.url

    # four colleagues chosen with the person picker (any staff, not only doctors)
    mail.outbox.clear()
    colleagues = list(
        Person.objects.filter(trust=doctor.trust, active=True)
        .exclude(pk=doctor.pk)
        .exclude(email="")
        .order_by("pk")[10:14]
    )
    assert len(colleagues) == 4
    for colleague in colleagues:
        box = page.get_by_label("Colleague at the trust")
        box.press_sequentially(f"{colleague.first_name} {colleague.last_name}", delay=20)
        page.locator(".ml-pick").filter(has_text=colleague.last_name).first.click()
        page.get_by_role("radio", name="Nurse or midwife").check()
        page.get_by_role("button", name="Send the invitation").click()
        page.get_by_text(re.compile("Invitation sent to")).wait_for()
    assert_accessible(page)
    for colleague in colleagues:
        assert colleague.full_name in page.content()

    # patient cards: a PDF with each code and a QR code
    page.get_by_role("link", name="Print patient cards").click()
    page.get_by_label("How many patient cards?").fill("6")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("button", name="Make the cards").click()
    with open(download.value.path(), "rb") as fh:
        pdf = fh.read()
    reader = PdfReader(io.BytesIO(pdf))
    text = " ".join(" ".join((p.extract_text() or "") for p in reader.pages).split())
    codes = ["".join(m) for m in CODE.findall(text)]
    assert len(codes) == 6 and doctor.display_name in text and doctor.trust.name in text
    # each card's QR code is drawn as vector paths: many more drawing operations than the text alone needs
    streams = [p.get_contents() for p in reader.pages]
    drawn = b"".join(c.get_data() for c in streams if c is not None)
    assert drawn.count(b" re") + drawn.count(b" l\n") + drawn.count(b" m\n") > 6 * 50

    # the colleagues answer through their private links, once
    links = [re.search(r"(/colleague-feedback/[^/\s]+/)", m.body) for m in mail.outbox]
    addresses = [m.group(1) for m in links if m]
    assert len(addresses) == 4
    other = browser.new_context(base_url=live_server.url)
    colleague_page = other.new_page()
    for n, link in enumerate(addresses):
        colleague_page.goto(link)
        colleague_page.get_by_role("heading", name=f"Feedback about {doctor.display_name}").wait_for()
        if n == 0:
            assert_accessible(colleague_page)
        colleague_page.get_by_role("radio", name="Nurse or midwife").check()
        for radio in colleague_page.get_by_role("radio", name="Very good", exact=True).all():
            radio.check()
        colleague_page.get_by_role("button", name="Send my answers").click()
        colleague_page.get_by_role("heading", name="Thank you for your feedback").wait_for()
    colleague_page.goto(addresses[0])
    assert "Thank you" not in colleague_page.content() and "Very good" not in colleague_page.content()
    other.close()
    page.goto(exercise_url)
    assert (_count(page, "colleagues"), _count(page, "patients")) == ("4", "0")

    # five patients on a phone: the first through the QR code's address, the others typing the code
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True)
    patient = phone.new_page()
    for n, code in enumerate(codes[:5]):
        if n == 0:
            patient.goto(f"/patient-feedback/{code}/")
        else:
            patient.goto("/patient-feedback/")
            if n == 1:
                assert_accessible(patient)
            typed = f"{code[:4]} {code[4:]}" if n % 2 else code.lower()
            patient.get_by_label("The code on your card").fill(typed)
            patient.get_by_role("button", name="Continue").click()
        patient.get_by_role("heading", name=f"Feedback about {doctor.display_name}").wait_for()
        if n == 0:
            assert_accessible(patient)
            assert patient.evaluate("document.documentElement.scrollWidth") <= 375  # no sideways scrolling
        for radio in patient.get_by_role("radio", name="Good", exact=True).all():
            radio.check()
        patient.get_by_role("button", name="Send my answers").click()
        patient.get_by_role("heading", name="Thank you for your feedback").wait_for()
    # a used code answers as an unknown one, and shows nothing
    patient.goto(f"/patient-feedback/{codes[0]}/")
    assert "This code cannot be used" in patient.content() and doctor.display_name not in patient.content()
    phone.close()

    page.goto(exercise_url)
    assert (_count(page, "colleagues"), _count(page, "patients")) == ("4", "5")
    assert_accessible(page)
    body = page.content()
    assert "Very good" not in body and "Good" not in body.replace("Good medical practice", "")
    e = Exercise.objects.get(doctor=doctor, status="open")
    assert Response.objects.filter(exercise=e, kind="colleague").count() == 4
    assert Response.objects.filter(exercise=e, kind="patient").count() == 5
