"""Colleague and patient feedback for revalidation in a browser (issue 33): the demo `doctor` starts an exercise,
invites colleagues with the person picker, prints patient cards (a PDF with each code and its QR code), four
colleagues answer through their private links and five patients through the codes on a phone-sized screen, and the
counts on the doctor's page move. The facilitator (`hr`'s person) closes the exercise (checked), edits one comment,
withholds another and releases a third, and releases the report (checked, then what happens next); the doctor reads
it (figures hand-computed under the anonymity threshold) and its PDF, reflects, and finds the reflection in their
next appraisal; `ro` sees the doctor's feedback done this cycle and another doctor's not yet done. Axe on every
page the walk opens."""

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
from medlead.revalidation.models import Connection
from tests.browser.conftest import assert_accessible, fill_date, sign_in

pytestmark = pytest.mark.django_db(transaction=True)

CODE = re.compile(rf"\b([{CODE_ALPHABET}]{{4}}) ([{CODE_ALPHABET}]{{4}})\b")
TEACHING = "Teaching, supervising and supporting colleagues"
NOT_APPLICABLE = "Does not apply or I cannot say"
COLLEAGUE_COMMENTS = {
    0: "Stayed late to cover for Sister Amy Pond on ward 7 the night of the flood.",
    1: "I am the only pharmacist on the unit and I found them hard to reach.",
}
EDITED = "Stayed late to cover for a colleague at short notice."
PATIENT_COMMENT = "Very kind, and explained everything clearly."


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
        # three say "Very good" (5 of 5) to everything, the fourth "Good" (4); two cannot say about teaching
        for radio in colleague_page.get_by_role("radio", name="Good" if n == 3 else "Very good", exact=True).all():
            radio.check()
        if n in (0, 1):
            colleague_page.get_by_role("group", name=TEACHING).get_by_role("radio", name=NOT_APPLICABLE).check()
        if n in COLLEAGUE_COMMENTS:
            colleague_page.get_by_role("textbox", name=re.compile("Anything else")).fill(COLLEAGUE_COMMENTS[n])
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
        if n == 0:
            patient.get_by_role("textbox", name=re.compile("Anything else")).fill(PATIENT_COMMENT)
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
    assert not any(c in body for c in [*COLLEAGUE_COMMENTS.values(), PATIENT_COMMENT])

    # the facilitator (`hr`'s person) runs it: from their feedback page to the exercise, then to its running page
    blocked: list[str] = []
    hr_context, hr = _signed_in(browser, live_server, "hr", blocked)
    hr.goto("/t/DEM001/revalidation-feedback/")
    assert_accessible(hr)
    # the demo's earlier exercise for the doctor (closed above) is listed too: this one is still collecting
    running = hr.get_by_role("listitem").filter(has_text="collecting feedback")
    running.get_by_role("link", name=doctor.display_name, exact=True).click()
    hr.get_by_role("heading", name="Answers so far").wait_for()
    assert (_count(hr, "colleagues"), _count(hr, "patients")) == ("4", "5")
    hr.get_by_role("link", name="Close the exercise, read the comments and release the report").click()
    hr.get_by_role("heading", name="Comments to read").wait_for()
    assert_accessible(hr)
    assert "4 (recommended: 15; not required)" in hr.content()  # the GMC's recommended numbers
    assert "5 (recommended: 34; not required)" in hr.content()
    hr.get_by_role("link", name="Close the exercise").click()
    hr.get_by_role("heading", name=re.compile("Check your answers")).wait_for()
    assert_accessible(hr)
    assert "Nobody else can answer" in hr.content()
    hr.get_by_role("button", name="Close the exercise").click()
    hr.get_by_text("The exercise is closed.").wait_for()
    # a closed exercise's card code answers as an unknown one
    phone = browser.new_context(base_url=live_server.url, viewport={"width": 375, "height": 812}, is_mobile=True)
    late = phone.new_page()
    late.goto(f"/patient-feedback/{codes[5]}/")
    assert "This code cannot be used" in late.content() and doctor.display_name not in late.content()
    phone.close()

    # the comments: one edited to leave out who and where, one withheld, the patient's released as written
    def decide(original: str, decision: str, text: str = "") -> None:
        card = hr.locator(".nhsuk-card").filter(has_text=original)
        card.get_by_role("radio", name=re.compile(f"^{decision}")).check()
        if text:
            card.get_by_label("The comment as the doctor will read it").fill(text)
        card.get_by_role("button", name="Save this decision").click()
        hr.get_by_text(f"Comment {'released' if decision == 'Release' else 'withheld'}.").wait_for()

    decide(COLLEAGUE_COMMENTS[0], "Release", EDITED)
    decide(COLLEAGUE_COMMENTS[1], "Withhold")
    decide(PATIENT_COMMENT, "Release")
    assert_accessible(hr)
    hr.get_by_role("link", name="Release the report").click()
    hr.get_by_role("heading", name=re.compile("Check your answers")).wait_for()
    assert_accessible(hr)
    check = _rows(hr)
    assert check["Answers"] == "4 colleagues, 5 patients"
    assert check["Groups shown"] == "Nurses and midwives, All colleagues, Patients"  # each of 3 or more (the rule)
    assert check["Comments"] == "2 released of 3"
    assert check["Anonymity"] == "No figure rests on fewer than 3 people"
    mail.outbox.clear()
    hr.get_by_role("button", name="Release the report to the doctor").click()
    hr.get_by_role("heading", name="Report released to the doctor").wait_for()
    assert_accessible(hr)
    done = hr.content()
    assert "is told by email" in done and "writes a reflection" in done and "next appraisal" in done
    assert [m.to for m in mail.outbox] == [[doctor.email]]
    hr_context.close()

    # the doctor reads the report from their exercise's page: the figures the rules allow, the released comments
    page.goto(exercise_url)
    page.get_by_role("link", name="Read your feedback report").click()
    page.get_by_role("heading", name=doctor.display_name).wait_for()
    assert_accessible(page)
    report = page.content()
    # hand-computed from the answers typed above (threshold 3, data/feedback_report.yaml): 5, 5, 5 and 4 -> 4.75;
    # teaching has only two answers (two could not say), so it is held back; patients said "Good" (3 of 5) -> 3.0
    assert _cells(page, "Their clinical knowledge and skills") == ["4.75", "4.75", "–"]
    assert _cells(page, TEACHING) == ["–", "–", "–"]
    assert _cells(page, "Listening to you") == ["3.0", "–"]
    assert "Nurses and midwives (4)" in report and "All colleagues (4)" in report and "Patients (5)" in report
    assert "fewer than 3 people in a group answered a question" in report
    assert EDITED in report and PATIENT_COMMENT in report
    assert COLLEAGUE_COMMENTS[0] not in report and COLLEAGUE_COMMENTS[1] not in report and "Amy Pond" not in report
    assert "No comparison" in report  # no other doctor of the grade and specialty has a released report
    with page.expect_download() as download:
        page.get_by_role("link", name="Download this report as a PDF").click()
    with open(download.value.path(), "rb") as fh:
        text = " ".join(" ".join((p.extract_text() or "") for p in PdfReader(fh).pages).split())
    day = f"{dates.today().day} {dates.today():%B %Y}"
    assert doctor.trust.name in text and doctor.display_name in text and facilitator.display_name in text
    assert f"Period {day} to {day}" in text and "Released by" in text and EDITED in text

    # the reflection, then the appraisal it went into
    reflection = "Colleagues find me approachable; I will make time for teaching, which few of them could rate."
    page.get_by_label("Your reflection on the report").fill(reflection)
    assert_accessible(page)
    page.get_by_role("button", name="Save your reflection").click()
    page.get_by_text(re.compile("Your reflection is saved, with the report, as supporting information")).wait_for()
    page.get_by_role("link", name="open the appraisal").click()
    page.get_by_role("link", name="Read the feedback report").first.wait_for()
    assert_accessible(page)
    assert reflection in page.content()
    e.refresh_from_db()
    assert e.supporting_info is not None and e.patient_supporting_info is not None
    appraisal = e.supporting_info.appraisal
    assert appraisal.person_id == doctor.pk and appraisal.status not in ("signed_off", "missed")
    today = dates.today()
    this_year = today.year if today >= dt.date(today.year, 4, 1) else today.year - 1  # appraisal years start 1 April
    assert appraisal.year in (this_year, this_year + 1)

    # the responsible officer: the doctor's feedback done this cycle, another connected doctor's not yet done
    ro_context, ro = _signed_in(browser, live_server, "ro", blocked)
    ro.goto("/t/DEM001/revalidation-feedback/doctors/")
    ro.get_by_role("heading", name="Colleague and patient feedback by doctor").wait_for()
    assert_accessible(ro)
    # every connected doctor, by name, a page at a time: the doctor is found by their GMC number
    ro.get_by_label("Name, GMC or staff number").fill(doctor.gmc_number)
    ro.get_by_role("button", name="Search").click()
    ro.wait_for_url(f"**q={doctor.gmc_number}**")
    mine = ro.get_by_role("row").filter(has_text=doctor.display_name).inner_text()
    assert f"Done: released {day}, {e.colleague_questionnaire.name}" in mine
    assert f"Done: released {day}, {e.patient_questionnaire.name}" in mine  # type: ignore[union-attr]
    ro.goto("/t/DEM001/revalidation-feedback/doctors/")  # the first page: the first doctors by name
    someone = (
        Connection.objects.filter(trust=doctor.trust, disconnected_on__isnull=True)
        .exclude(person=doctor)
        .select_related("person")
        .order_by("person__last_name")
        .first()
    )
    assert someone is not None
    theirs = ro.get_by_role("row").filter(has_text=someone.person.display_name).first.inner_text()
    assert theirs.count("Not yet done") == 2 and "Done: released" not in theirs
    assert reflection not in ro.content() and EDITED not in ro.content()  # whether and when, never what
    ro_context.close()
    assert not blocked, "\n".join(blocked)


def _signed_in(browser: Any, live_server: Any, username: str, blocked: list[str]) -> tuple[Any, Any]:
    """A second person's browser, signed in, held to the Content-Security-Policy as the `page` fixture is."""
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    other = context.new_page()
    other.on(
        "console",
        lambda msg: blocked.append(f"{other.url}: {msg.text}") if "Content Security Policy" in msg.text else None,
    )
    sign_in(other, username)
    other.wait_for_load_state()
    return context, other


def _rows(page: Any) -> dict[str, str]:
    """A summary list's keys and values, as shown."""
    keys = page.locator(".nhsuk-summary-list__key").all_inner_texts()
    values = page.locator(".nhsuk-summary-list__value").all_inner_texts()
    return {k.strip(): v.strip() for k, v in zip(keys, values, strict=True)}


def _cells(page: Any, question: str) -> list[str]:
    """The figures in a question's row of the report, after the question."""
    row = page.get_by_role("row").filter(has=page.get_by_role("cell", name=question, exact=True)).first
    return [t.strip() for t in row.get_by_role("cell").all_inner_texts()[1:]]
