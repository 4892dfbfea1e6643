"""The report's side of a colleague and patient feedback exercise (issue 33): the facilitator closes it, reads the
comments and releases the report; the doctor reads it and reflects, and the reflection becomes supporting
information in their next appraisal, where the appraiser reads it with a link to the report. Reads are audited,
with no content in the trail; everyone else is answered 404."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from medlead.accounts.models import Role
from medlead.core import dates
from medlead.core.audit import AuditEvent
from medlead.feedback.models import CommentState, ExerciseScore, ExerciseStatus
from medlead.organisation.models import Grade, Trust
from medlead.revalidation.models import Appraisal, Connection, SupportingInfo
from medlead.revalidation.selectors import appraisal_year
from tests.conftest import client_for
from tests.factories import (
    PersonFactory,
    SpecialtyFactory,
    feedback_exercise,
    feedback_response,
    make_user,
)

pytestmark = pytest.mark.django_db

SECRET = "Dr Example shouted at Sister Jones on ward 7 on Tuesday"


@pytest.fixture
def world(trust: Trust) -> dict[str, Any]:
    cardiology = SpecialtyFactory(trust=trust, name="Cardiology")
    doctor = PersonFactory(trust=trust, grade=Grade.CONSULTANT, specialty=cardiology)
    facilitator = PersonFactory(trust=trust)
    appraiser = PersonFactory(trust=trust)
    stranger = PersonFactory(trust=trust)
    Connection.objects.create(
        trust=trust, person=doctor, connected_on=dt.date(2022, 4, 1), submission_date=dt.date(2027, 4, 1)
    )
    year = appraisal_year(trust, dates.today())
    appraisal = Appraisal.objects.create(trust=trust, person=doctor, year=year, appraiser=appraiser)
    exercise = feedback_exercise(doctor, facilitator)
    # four colleagues (three doctors and a nurse) and five patients; two comments wait for the facilitator
    for n, role in enumerate(["doctor", "doctor", "doctor", "nurse"]):
        feedback_response(exercise, "colleague", [5 - n % 2, 4, 4], role=role, comment=SECRET if n == 0 else "")
    for n in range(5):
        feedback_response(exercise, "patient", [5, 4, 5], comment="Very kind and explained everything." if n else "")
    users = {
        "doctor": make_user((Role.DOCTOR, trust), person=doctor),
        "facilitator": make_user((Role.DOCTOR, trust), person=facilitator),
        "appraiser": make_user((Role.DOCTOR, trust), person=appraiser),
        "stranger": make_user((Role.DOCTOR, trust), person=stranger),
        "ro": make_user((Role.RESPONSIBLE_OFFICER, trust)),
    }
    return {"trust": trust, "exercise": exercise, "appraisal": appraisal, "users": users, "doctor": doctor}


def base(world: dict[str, Any]) -> str:
    return f"/t/{world['trust'].code}/revalidation-feedback/{world['exercise'].pk}/"


def test_the_whole_release_and_reflection(world: dict[str, Any]) -> None:
    exercise, users = world["exercise"], world["users"]
    url = base(world)
    facilitator, doctor = client_for(users["facilitator"]), client_for(users["doctor"])

    # the doctor cannot read the report while it is being prepared, nor run the exercise
    assert doctor.get(url + "report/").status_code == 404
    assert doctor.get(url + "facilitate/").status_code == 403

    # closing is checked first, then done
    page = facilitator.get(url + "close/check/").content.decode()
    assert "Check your answers before you close this feedback exercise" in page
    assert "4 (the questionnaire recommends 15; not required)" in page
    assert facilitator.post(url + "close/", {"confirm": "yes"}).status_code == 302
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.CLOSED

    # releasing waits for every comment to be read
    assert "This report cannot be released yet" in facilitator.get(url + "release/check/").content.decode()
    responses = list(exercise.responses.exclude(comment_state=CommentState.NONE).order_by("pk"))
    secret = next(r for r in responses if r.comment == SECRET)
    kind = next(r for r in responses if r.comment != SECRET)
    edited = "Could be calmer under pressure."
    assert (
        facilitator.post(
            url + f"comments/{secret.pk}/", {f"c{secret.pk}-decision": "release", f"c{secret.pk}-text": edited}
        ).status_code
        == 302
    )
    for r in responses:
        if r.pk not in (secret.pk,):
            facilitator.post(url + f"comments/{r.pk}/", {f"c{r.pk}-decision": "release", f"c{r.pk}-text": ""})
    page = facilitator.get(url + "release/check/").content.decode()
    assert "Check your answers before you release this feedback report" in page
    assert facilitator.post(url + "release/", {"confirm": "yes"}).status_code == 302
    done = facilitator.get(url + "released/").content.decode()
    assert "Report released to the doctor" in done and "writes a reflection" in done
    exercise.refresh_from_db()
    assert exercise.status == ExerciseStatus.RELEASED and exercise.released_by == users["facilitator"]
    # figures stored for comparisons: only those shown (three doctors and five patients, each question)
    assert ExerciseScore.objects.filter(exercise=exercise).count() == 6

    # the doctor reads it: the facilitator's wording, never the original; the nurse alone is in no figure
    report = doctor.get(url + "report/").content.decode()
    assert edited in report and SECRET not in report
    assert kind.comment in report
    assert "1 of the nurses and midwives answered" in report
    assert AuditEvent.objects.filter(
        action="read", model="feedback.exercise", object_pk=str(exercise.pk), actor_id=users["doctor"].pk
    ).exists()
    pdf = doctor.get(url + "report/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"

    # the reflection becomes supporting information in the next appraisal, of both kinds, linked
    reflection = "I will make time to explain plans to the nurses."
    assert doctor.post(url + "report/reflect/", {"reflection": reflection}).status_code == 302
    exercise.refresh_from_db()
    items = SupportingInfo.objects.filter(appraisal=world["appraisal"]).order_by("kind")
    assert [si.kind for si in items] == ["colleague_feedback", "patient_feedback"]
    assert all(si.reflection == reflection for si in items)
    # filed under Good medical practice 2024's domains as data/good_medical_practice.yaml maps the two types
    assert [si.domain for si in items] == ["colleagues", "patients"]
    assert exercise.supporting_info in items and exercise.patient_supporting_info in items

    # the appraiser of that appraisal sees it there, with a link, and may read the report; a stranger may not
    appraisal_page = client_for(users["appraiser"]).get(f"/t/{world['trust'].code}/appraisals/{world['appraisal'].pk}/")
    assert reflection in appraisal_page.content.decode()
    assert url + "report/" in appraisal_page.content.decode()
    assert client_for(users["appraiser"]).get(url + "report/").status_code == 200
    assert client_for(users["stranger"]).get(url + "report/").status_code == 404
    assert client_for(users["ro"]).get(url + "report/").status_code == 404

    # no content in the audit trail, anywhere
    for event in AuditEvent.objects.all():
        text = str(event.changes) + str(event.note if hasattr(event, "note") else "")
        assert SECRET not in text and edited not in text and reflection not in text


def test_without_an_open_appraisal_one_is_created_for_the_reflection(world: dict[str, Any]) -> None:
    from medlead.feedback import release

    world["appraisal"].status = "signed_off"
    world["appraisal"].save()
    exercise = world["exercise"]
    exercise.status = ExerciseStatus.RELEASED
    exercise.released_at = dates.now()
    exercise.save()
    release.reflect(actor=world["users"]["doctor"], exercise=exercise, reflection="Noted.", day=dates.today())
    year = appraisal_year(world["trust"], dates.today())
    created = Appraisal.objects.get(person=world["doctor"], year=year + 1)
    assert created.appraiser is None and created.supporting_info.count() == 2


def test_bad_posts_are_form_errors_not_server_errors(world: dict[str, Any]) -> None:
    url = base(world)
    facilitator = client_for(world["users"]["facilitator"])
    assert facilitator.post(url + "close/", {"confirm": "no"}).status_code == 200
    r = world["exercise"].responses.exclude(comment_state=CommentState.NONE).first()
    assert facilitator.post(url + f"comments/{r.pk}/", {f"c{r.pk}-decision": "maybe"}).status_code == 200
    assert facilitator.post(url + "comments/999999/", {}).status_code == 404
    assert facilitator.post(url + "release/", {"confirm": "yes"}).status_code in (200, 403)
    doctor = client_for(world["users"]["doctor"])
    assert doctor.post(url + "report/reflect/", {"reflection": ""}).status_code in (403, 404)


def test_the_report_page_reads_in_a_fixed_number_of_queries(
    world: dict[str, Any], django_assert_max_num_queries: Any
) -> None:
    exercise = world["exercise"]
    exercise.status = ExerciseStatus.CLOSED
    exercise.closed_at = dates.now()
    exercise.save()
    client = client_for(world["users"]["facilitator"])
    client.get(base(world) + "report/")
    with django_assert_max_num_queries(30):
        assert client.get(base(world) + "report/").status_code == 200


@pytest.mark.parametrize(("others", "shown"), [(3, True), (2, False)])
def test_the_comparison_rests_on_at_least_three_doctors(world: dict[str, Any], others: int, shown: bool) -> None:
    from medlead.feedback.models import ExerciseScore, Question

    exercise = world["exercise"]
    for n in range(others):
        peer = PersonFactory(trust=world["trust"], grade=Grade.CONSULTANT, specialty=world["doctor"].specialty)
        done = feedback_exercise(
            peer,
            None,
            status=ExerciseStatus.RELEASED,
            released_at=dates.now(),
            colleague_questionnaire=exercise.colleague_questionnaire,
            patient_questionnaire=exercise.patient_questionnaire,
        )
        for q in Question.objects.filter(questionnaire=exercise.colleague_questionnaire):
            ExerciseScore.objects.create(exercise=done, question=q, mean=3.0 + n, respondents=5)
    exercise.status = ExerciseStatus.RELEASED
    exercise.released_at = dates.now()
    exercise.save()
    page = client_for(world["users"]["doctor"]).get(base(world) + "report/").content.decode()
    if shown:
        assert "4.0 (3 doctors)" in page  # (3 + 4 + 5) / 3, by hand
    else:
        assert "No comparison with the trust&#39;s consultants in Cardiology is shown" in page


def test_the_pages_link_to_each_other_as_the_exercise_goes_on(world: dict[str, Any]) -> None:
    """The facilitator reaches the running page from their feedback page and the exercise's page; the doctor reaches
    the released report from theirs, and is told before then who releases it. (Found missing in the browser walk.)"""
    exercise, users, trust = world["exercise"], world["users"], world["trust"]
    url = base(world)
    home = f"/t/{trust.code}/revalidation-feedback/"
    facilitator, doctor = client_for(users["facilitator"]), client_for(users["doctor"])

    assert url + "facilitate/" in facilitator.get(home).content.decode()
    assert url + "facilitate/" in facilitator.get(url).content.decode()
    assert url + "facilitate/" not in doctor.get(url).content.decode()
    page = doctor.get(url).content.decode()
    assert url + "report/" not in page
    assert f"{exercise.facilitator.display_name} releases your report after the exercise closes" in page
    # the home page's title is plain words (it once carried the questionnaires' heading and link)
    assert "<title>Colleague and patient feedback – medlead</title>" in doctor.get(home).content.decode()
    assert "&lt;h2&gt;" not in doctor.get(home).content.decode()

    # closing: both recommended numbers say "not required"
    check = facilitator.get(url + "close/check/").content.decode()
    assert "5 (the questionnaire recommends 34; not required)" in check
    facilitator.post(url + "close/", {"confirm": "yes"})
    for r in exercise.responses.exclude(comment_state=CommentState.NONE):
        facilitator.post(url + f"comments/{r.pk}/", {f"c{r.pk}-decision": "withhold", f"c{r.pk}-text": ""})
    assert facilitator.post(url + "release/", {"confirm": "yes"}).status_code == 302
    assert url + "report/" in doctor.get(url).content.decode()
    assert url + "report/" in doctor.get(home).content.decode()
