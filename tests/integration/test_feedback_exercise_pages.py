"""The feedback exercise for revalidation (issue 33, Task A1): starting (checked, then confirmed), inviting with the
picker, private colleague links that work once, patient cards with single-use codes, the public patient page that
shows nothing stored, rate limiting, paper responses, and need-to-know (404 for everyone but the doctor and the
facilitator)."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.core import mail
from django.core.cache import cache
from django.test import Client
from pypdf import PdfReader

from medlead.accounts.models import Role, User
from medlead.core import dates
from medlead.core.actors import SystemActor
from medlead.feedback import services
from medlead.feedback.models import (
    Exercise,
    Invitation,
    PatientCard,
    Questionnaire,
    QuestionnaireKind,
    Response,
)
from medlead.feedback.questionnaires import load_national
from medlead.organisation.models import Person, StaffKind, Trust
from medlead.revalidation.models import Appraiser, Connection
from tests.conftest import client_for
from tests.factories import PersonFactory, make_user

pytestmark = pytest.mark.django_db
SYSTEM = SystemActor("test set-up")
TODAY = dates.today()


@pytest.fixture(autouse=True)
def _questionnaires() -> None:
    load_national()
    cache.clear()


@pytest.fixture
def doctor(trust: Trust) -> Person:
    p = PersonFactory(trust=trust, email="dr.doc@example.org")
    Connection.objects.create(
        trust=trust,
        person=p,
        connected_on=TODAY - dt.timedelta(days=400),
        submission_date=TODAY.replace(year=TODAY.year + 2),
    )
    return p


@pytest.fixture
def doctor_account(doctor: Person, trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), username="fb-doctor", person=doctor)


@pytest.fixture
def facilitator(trust: Trust) -> Person:
    p = PersonFactory(trust=trust, email="appraiser@example.org")
    Appraiser.objects.create(trust=trust, person=p, trained_on=TODAY - dt.timedelta(days=900))
    return p


@pytest.fixture
def facilitator_account(facilitator: Person, trust: Trust) -> User:
    return make_user((Role.DOCTOR, trust), username="fb-facilitator", person=facilitator)


def national(kind: str) -> Questionnaire:
    return Questionnaire.objects.get(trust=None, kind=kind)


@pytest.fixture
def exercise(doctor: Person, facilitator: Person) -> Exercise:
    return services.exercise_start(
        actor=SYSTEM,
        doctor=doctor,
        facilitator=facilitator,
        closes_on=TODAY + dt.timedelta(days=30),
        colleague_questionnaire=national(QuestionnaireKind.COLLEAGUE),
        patient_questionnaire=national(QuestionnaireKind.PATIENT),
        today=TODAY,
    )


def page_url(e: Exercise, name: str = "exercise") -> str:
    return (
        f"/t/{e.trust.code}/revalidation-feedback/{e.pk}/"
        + {"exercise": "", "cards": "cards/", "pdf": "cards/pdf/", "invite": "invite/"}[name]
    )


def answers_for(questionnaire: Questionnaire, value: str = "4") -> dict[str, str]:
    return {f"q{q.pk}": value for q in questionnaire.questions.filter(answer_type="scale")}


def test_the_recommended_numbers_are_the_gmcs_for_its_own_questionnaires() -> None:
    # GMC, "Revalidation: multi-source feedback" FAQs: 15 colleagues and 34 patients (recommended, not required)
    assert national(QuestionnaireKind.COLLEAGUE).recommended_responses == 15
    assert national(QuestionnaireKind.PATIENT).recommended_responses == 34
    # the wording is medlead's, so neither is presented as verified
    assert not national(QuestionnaireKind.COLLEAGUE).verified
    assert not national(QuestionnaireKind.PATIENT).verified


def test_a_connected_doctor_starts_an_exercise_after_checking_their_answers(
    doctor_account: User, facilitator: Person, trust: Trust
) -> None:
    c = client_for(doctor_account)
    form = c.get(f"/t/{trust.code}/revalidation-feedback/new/")
    assert form.status_code == 200
    assert facilitator.display_name in form.content.decode()
    closes = TODAY + dt.timedelta(days=40)
    data = {
        "facilitator": facilitator.pk,
        "closes_on": closes.isoformat(),
        "colleague_questionnaire": national(QuestionnaireKind.COLLEAGUE).pk,
        "patient_questionnaire": "",
        "no_patient_reason": "",
    }
    refused = c.post(f"/t/{trust.code}/revalidation-feedback/new/", data)
    assert refused.status_code == 200 and "why there is no patient questionnaire" in refused.content.decode().lower()
    assert not Exercise.objects.exists()
    data["patient_questionnaire"] = national(QuestionnaireKind.PATIENT).pk
    check = c.post(f"/t/{trust.code}/revalidation-feedback/new/", data)
    assert "Check your answers" in check.content.decode()
    assert not Exercise.objects.exists()  # nothing saved before confirming
    done = c.post(f"/t/{trust.code}/revalidation-feedback/new/confirm/", data)
    assert done.status_code == 200
    e = Exercise.objects.get()
    assert (e.facilitator, e.closes_on, e.status) == (facilitator, closes, "open")


def test_the_doctor_cannot_run_their_own_exercise_nor_start_one_unconnected(
    doctor_account: User, doctor: Person, trust: Trust, facilitator: Person
) -> None:
    Appraiser.objects.create(trust=trust, person=doctor, trained_on=TODAY)
    c = client_for(doctor_account)
    data = {
        "facilitator": doctor.pk,
        "closes_on": (TODAY + dt.timedelta(days=10)).isoformat(),
        "colleague_questionnaire": national(QuestionnaireKind.COLLEAGUE).pk,
        "patient_questionnaire": national(QuestionnaireKind.PATIENT).pk,
    }
    r = c.post(f"/t/{trust.code}/revalidation-feedback/new/confirm/", data)
    assert r.status_code == 200 and not Exercise.objects.exists()
    Connection.objects.filter(person=doctor).update(disconnected_on=TODAY - dt.timedelta(days=1))
    data["facilitator"] = facilitator.pk
    r = c.post(f"/t/{trust.code}/revalidation-feedback/new/confirm/", data)
    assert "connected to this trust" in r.content.decode() and not Exercise.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"facilitator": "x' OR 1=1", "closes_on": "31/02/2026"},
        {"facilitator": "99999999999999999999", "colleague_questionnaire": "-1"},
        {"closes_on": "9999-99-99", "patient_questionnaire": "abc", "no_patient_reason": "x" * 5000},
    ],
)
def test_bad_input_on_the_start_form_is_a_form_error(doctor_account: User, trust: Trust, bad: dict[str, str]) -> None:
    c = client_for(doctor_account)
    for path in ("new/", "new/confirm/"):
        assert c.post(f"/t/{trust.code}/revalidation-feedback/{path}", bad).status_code == 200
    assert not Exercise.objects.exists()


def test_only_the_doctor_and_the_facilitator_know_the_exercise(
    exercise: Exercise, doctor_account: User, facilitator_account: User, trust: Trust, other_trust: Trust
) -> None:
    assert client_for(doctor_account).get(page_url(exercise)).status_code == 200
    assert client_for(facilitator_account).get(page_url(exercise)).status_code == 200
    others = [
        make_user((Role.DOCTOR, trust), username="another-doctor", person=PersonFactory(trust=trust)),
        make_user((Role.MEDICAL_DIRECTOR, trust), username="fb-md"),
        make_user((Role.RESPONSIBLE_OFFICER, trust), username="fb-ro"),
        make_user((Role.MEDICAL_STAFFING, trust), username="fb-hr"),
    ]
    for user in others:
        c = client_for(user)
        for name in ("exercise", "cards", "pdf"):
            assert c.get(page_url(exercise, name)).status_code == 404, (user.username, name)
        assert (
            c.post(page_url(exercise, "invite"), {"name": "X", "email": "x@example.org", "role": "nurse"}).status_code
            == 404
        )
        assert c.get(page_url(exercise) + "paper/colleague/").status_code == 404
    assert not Invitation.objects.exists()


def test_invite_with_the_picker_sends_a_private_link_that_works_once(
    exercise: Exercise, doctor_account: User, trust: Trust, django_capture_on_commit_callbacks: Any
) -> None:
    nurse = PersonFactory(trust=trust, kind=StaffKind.MANAGER, email="nurse@example.org", gmc_number="")
    c = client_for(doctor_account)
    with django_capture_on_commit_callbacks(execute=True):
        r = c.post(page_url(exercise, "invite"), {"person": str(nurse.pk), "role": "nurse"})
    assert r.status_code == 302
    invitation = Invitation.objects.get()
    assert (invitation.person, invitation.email, invitation.invited_at is not None) == (
        nurse,
        "nurse@example.org",
        True,
    )
    [message] = mail.outbox
    link = re.search(r"http://\S+/colleague-feedback/\S+/", message.body)
    assert link is not None
    path = link.group(0).split("8000", 1)[-1] if "8000" in link.group(0) else "/" + link.group(0).split("/", 3)[3]
    anonymous = Client()
    assert exercise.doctor.display_name in anonymous.get(path).content.decode()
    data = answers_for(exercise.colleague_questionnaire) | {"role": "nurse", "comment": "Kind and careful."}
    assert "Thank you" in anonymous.post(path, data).content.decode()
    again = anonymous.post(path, data)  # a double submit
    assert again.status_code == 404
    assert Response.objects.count() == 1
    response = Response.objects.get()
    assert (response.kind, response.role, response.comment_state) == ("colleague", "nurse", "awaiting")
    invitation.refresh_from_db()
    assert invitation.used_at is not None
    # no link from a response to the invitation or card it came through
    assert not {f.name for f in Response._meta.get_fields()} & {"invitation", "card", "rater", "person"}


def test_the_doctors_pages_never_say_who_answered(exercise: Exercise, doctor_account: User, trust: Trust) -> None:
    for n in range(3):
        services.colleagues_invite(
            actor=SYSTEM,
            exercise=exercise,
            invitees=[services.Invitee(f"Colleague {n}", f"c{n}@example.org", "doctor")],
        )
    c = client_for(doctor_account)

    def pages() -> list[str]:
        out = []
        for url in (page_url(exercise), f"/t/{trust.code}/revalidation-feedback/"):
            html = _normal(c.get(url).content.decode())
            out.append(re.sub(r'data-count="(\w+)">\d+<', r'data-count="\1">N<', html))
        return out

    before = pages()
    first = Invitation.objects.order_by("pk").first()
    assert first is not None
    services.colleague_answer(
        invitation_id=first.pk, nonce=first.nonce, role="doctor", values={}, comment="Fine.", today=TODAY
    )
    after = pages()
    assert before == after  # only the counts differ
    assert 'data-count="colleagues">1<' in c.get(page_url(exercise)).content.decode()


def test_cards_pdf_names_the_trust_doctor_and_period_with_each_code(
    exercise: Exercise, doctor_account: User, trust: Trust
) -> None:
    c = client_for(doctor_account)
    r = c.post(page_url(exercise, "cards"), {"count": "3"})
    assert r.status_code == 302 and r["Location"].endswith("/cards/pdf/")
    pdf = c.get(r["Location"])
    assert pdf["Content-Type"] == "application/pdf"
    text = "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf.content)).pages)
    flat = re.sub(r"\s+", " ", text)
    for card in PatientCard.objects.all():
        assert f"{card.code[:4]} {card.code[4:]}" in flat
    assert trust.name in flat and exercise.doctor.display_name in flat
    assert f"{exercise.closes_on:%-d %B %Y}" in flat
    assert b"<svg" not in pdf.content  # the QR codes are drawn, not left as markup
    for bad in ("0", "201", "ten", "-5", "9" * 30):
        assert c.post(page_url(exercise, "cards"), {"count": bad}).status_code == 200
    assert PatientCard.objects.count() == 3


def _cards(exercise: Exercise, n: int) -> list[PatientCard]:
    return services.cards_print(actor=SYSTEM, exercise=exercise, count=n)


def _normal(html: str) -> str:
    """The page without what changes on every request (the form's token, the script nonce)."""
    html = re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", html)
    return re.sub(r'nonce="[^"]+"', "", html)


def test_a_patient_code_answers_once_and_reads_nothing(exercise: Exercise) -> None:
    used, fresh = _cards(exercise, 2)
    client = Client()
    page = client.get(f"/patient-feedback/{used.code}/").content.decode()
    assert exercise.doctor.display_name in page and exercise.trust.name in page
    data = answers_for(exercise.patient_questionnaire) | {"comment": "Very kind."}
    assert "Thank you" in client.post(f"/patient-feedback/{used.code}/", data).content.decode()
    client.post(f"/patient-feedback/{used.code}/", data)  # a double submit
    assert Response.objects.filter(kind="patient").count() == 1
    cache.clear()
    # a used code, an unknown code, a malformed code and a typed one all answer the same, with nothing stored
    unknown = "ABCDEFGH" if used.code != "ABCDEFGH" else "HGFEDCBA"
    answers = {}
    for label, path in {
        "used": f"/patient-feedback/{used.code}/",
        "unknown": f"/patient-feedback/{unknown}/",
        "malformed": "/patient-feedback/<script>/",
        "lower": f"/patient-feedback/{used.code.lower()}/",
    }.items():
        for method in ("get", "post"):
            r = getattr(client, method)(path, data if method == "post" else None)
            answers[(label, method)] = (r.status_code, _normal(r.content.decode()))
    assert len(set(answers.values())) == 1
    status, html = next(iter(answers.values()))
    assert status == 200
    for stored in (exercise.doctor.display_name, exercise.trust.name, "Very kind", fresh.code):
        assert stored not in html
    typed = client.post("/patient-feedback/", {"code": f"{used.code[:4]}-{used.code[4:].lower()}"}, follow=True)
    assert _normal(typed.content.decode()) == html
    # the fresh card still works, through the code typed with a space
    r = client.post("/patient-feedback/", {"code": f"{fresh.code[:4]} {fresh.code[4:]}"})
    assert r.status_code == 302 and r["Location"] == f"/patient-feedback/{fresh.code}/"


def test_a_closed_exercise_code_answers_as_an_unknown_one(exercise: Exercise) -> None:
    [card] = _cards(exercise, 1)
    Exercise.objects.filter(pk=exercise.pk).update(status="closed")
    client = Client()
    closed = _normal(client.get(f"/patient-feedback/{card.code}/").content.decode())
    unknown = _normal(client.get("/patient-feedback/ZZZZZZZZ/").content.decode())
    assert closed == unknown and exercise.doctor.display_name not in closed


def test_code_attempts_are_rate_limited_per_client_address(exercise: Exercise) -> None:
    [card] = _cards(exercise, 1)
    client = Client(REMOTE_ADDR="203.0.113.9")
    statuses = [client.get(f"/patient-feedback/ZZZZZZZ{n % 10 if n % 10 > 1 else 'Z'}/").status_code for n in range(25)]
    assert statuses[:20] == [200] * 20 and set(statuses[20:]) == {429}
    # even a good code is refused from that address now, and works from another
    assert client.get(f"/patient-feedback/{card.code}/").status_code == 429
    assert client.post("/patient-feedback/", {"code": card.code}).status_code == 429
    other = Client(REMOTE_ADDR="198.51.100.7")
    assert exercise.doctor.display_name in other.get(f"/patient-feedback/{card.code}/").content.decode()


def test_bad_answers_are_form_errors(exercise: Exercise) -> None:
    [card] = _cards(exercise, 1)
    client = Client()
    q = exercise.patient_questionnaire.questions.first()  # type: ignore[union-attr]
    assert q is not None
    for bad in ({f"q{q.pk}": "7"}, {f"q{q.pk}": "0"}, {f"q{q.pk}": "x" * 500}, {"comment": "x" * 6000}):
        r = client.post(f"/patient-feedback/{card.code}/", bad)
        assert r.status_code == 200 and "There is a problem" in r.content.decode()
    assert not Response.objects.exists()
    card.refresh_from_db()
    assert card.used_at is None


def test_the_facilitator_enters_paper_responses_against_a_card_or_without(
    exercise: Exercise, facilitator_account: User, doctor_account: User
) -> None:
    [card] = _cards(exercise, 1)
    c = client_for(facilitator_account)
    patient = answers_for(exercise.patient_questionnaire, "5")
    r = c.post(page_url(exercise) + "paper/patient/", patient | {"card": f"{card.code[:4]} {card.code[4:]}"})
    assert r.status_code == 302
    card.refresh_from_db()
    assert card.used_at is not None
    assert c.post(page_url(exercise) + "paper/patient/", patient | {"card": card.code}).status_code == 200  # used
    assert (
        c.post(
            page_url(exercise) + "paper/colleague/", answers_for(exercise.colleague_questionnaire) | {"role": "allied"}
        ).status_code
        == 302
    )
    assert list(Response.objects.values_list("channel", flat=True)) == ["paper", "paper"]
    assert client_for(doctor_account).get(page_url(exercise) + "paper/patient/").status_code == 403
    assert c.get(page_url(exercise) + "paper/nonsense/").status_code == 404


def test_the_exercise_page_reads_a_fixed_number_of_queries(
    exercise: Exercise, doctor_account: User, django_assert_max_num_queries
) -> None:
    c = client_for(doctor_account)
    c.get(page_url(exercise))
    services.colleagues_invite(
        actor=SYSTEM,
        exercise=exercise,
        invitees=[services.Invitee(f"Colleague {n}", f"q{n}@example.org", "nurse") for n in range(12)],
    )
    _cards(exercise, 20)
    with django_assert_max_num_queries(16):
        assert c.get(page_url(exercise)).status_code == 200
