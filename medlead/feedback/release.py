"""The facilitator's side of a feedback exercise once answers are in, and the doctor's reflection (issue 33): close
the exercise, read each comment for identifying content (release it as written or edited, or withhold it), release
the report (its figures stored for the trust's comparisons), and the doctor's reflection, which becomes supporting
information in their next appraisal. Each writer checks the policy, validates and is audited (no content in the
trail: the models' ``audit_safe``)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import notify
from medlead.core import services as core
from medlead.core.dates import day_of, now
from medlead.core.policy import Perm, require
from medlead.feedback import report as pure
from medlead.feedback.models import (
    Answer,
    CommentState,
    Exercise,
    ExerciseScore,
    ExerciseStatus,
    FeedbackAdministrator,
    Question,
    QuestionnaireKind,
    Response,
)
from medlead.organisation.models import Trust
from medlead.revalidation.services import feedback_supporting_info_add
from medlead.rulebook.selectors import value_for

RULES_FILE = "feedback_report.yaml"


def threshold(trust: Trust, day: dt.date) -> int:
    """The fewest people a figure may rest on, as the trust applies it on ``day`` (``data/feedback_report.yaml``)."""
    return int(value_for(trust, RULES_FILE, "min_answers", day).value)


def report_day(exercise: Exercise) -> dt.date:
    """The day whose rules a report is built by: the day it closed (its closing date while still open)."""
    return day_of(exercise.closed_at) if exercise.closed_at else exercise.closes_on


# ------------------------------------------------------------------------------------------------ reading


@dataclass
class Built:
    exercise: Exercise
    questions: list[Question]
    report: pure.Report


def questions_of(exercise: Exercise) -> list[Question]:
    ids = [q for q in (exercise.colleague_questionnaire_id, exercise.patient_questionnaire_id) if q]
    return list(Question.objects.filter(questionnaire_id__in=ids).select_related("questionnaire").order_by("pk"))


def build(exercise: Exercise, *, comments: bool = True) -> Built:
    """The exercise's report under the anonymity rules (four queries). Comments are those the facilitator has
    released, in the facilitator's wording."""
    questions = questions_of(exercise)
    kind_of = {
        exercise.colleague_questionnaire_id: pure.COLLEAGUE,
        exercise.patient_questionnaire_id: pure.PATIENT,
    }
    responses = list(Response.objects.filter(exercise=exercise).order_by("pk"))
    answers: dict[int, dict[int, int | None]] = {r.pk: {} for r in responses}
    for response_id, question_id, value in (
        Answer.objects.filter(response__exercise=exercise).order_by().values_list("response_id", "question_id", "value")
    ):
        answers[response_id][question_id] = value
    respondents = [
        pure.Respondent(
            r.pk,
            pure.COLLEAGUE if r.kind == QuestionnaireKind.COLLEAGUE else pure.PATIENT,
            r.role if r.kind == QuestionnaireKind.COLLEAGUE else "",
            answers[r.pk],
            r.released_comment if comments and r.comment_state == CommentState.RELEASED else "",
        )
        for r in responses
    ]
    scaled = [q for q in questions if q.answer_type == "scale"]
    items = [pure.Question(q.pk, kind_of.get(q.questionnaire_id, pure.COLLEAGUE), q.domain, q.text) for q in scaled]
    return Built(exercise, scaled, pure.build(items, respondents, threshold(exercise.trust, report_day(exercise))))


def comparisons(exercise: Exercise, built: Built) -> tuple[dict[int, pure.Comparison], str]:
    """The doctor's figures beside the trust's doctors of the same grade and specialty: each other doctor's latest
    released exercise with the same questionnaires, from the figures stored at its release (two queries)."""
    doctor = exercise.doctor
    limit = threshold(exercise.trust, report_day(exercise))
    peers = Exercise.objects.filter(trust=exercise.trust, status=ExerciseStatus.RELEASED, doctor__grade=doctor.grade)
    if doctor.specialty_id is not None:
        peers = peers.filter(doctor__specialty_id=doctor.specialty_id)
    else:
        peers = peers.filter(doctor__specialty__isnull=True)
    others = (
        peers.exclude(doctor_id=doctor.pk).order_by("doctor_id", "-released_at", "-pk").values_list("pk", "doctor_id")
    )
    latest: dict[int, int] = {}
    for pk, doctor_id in others:
        latest.setdefault(doctor_id, pk)
    by_exercise = {pk: doctor_id for doctor_id, pk in latest.items()}
    stored: dict[int, dict[int, float]] = {}
    for exercise_id, question_id, mean in ExerciseScore.objects.filter(exercise_id__in=list(by_exercise)).values_list(
        "exercise_id", "question_id", "mean"
    ):
        stored.setdefault(by_exercise[exercise_id], {})[question_id] = mean
    found = pure.compare([q.pk for q in built.questions], stored, limit)
    specialty = doctor.specialty.name if doctor.specialty_id and doctor.specialty else ""
    grade = doctor.get_grade_display() or "doctor"
    return found, pure.comparison_note(found, limit, grade, specialty)


def awaiting_comments(exercise: Exercise) -> list[Response]:
    return list(Response.objects.filter(exercise=exercise, comment_state=CommentState.AWAITING).order_by("pk"))


def comments_to_read(exercise: Exercise) -> list[Response]:
    """Every comment, awaiting or already decided, in the order received (for the facilitator only)."""
    return list(Response.objects.filter(exercise=exercise).exclude(comment_state=CommentState.NONE).order_by("pk"))


# ------------------------------------------------------------------------------------------------ writing


def exercise_close(*, actor: Any, exercise: Exercise) -> Exercise:
    """Stop the answering: nobody else can answer; the facilitator then reads the comments and releases the report."""
    require(actor, Perm.MANAGE_FEEDBACK_EXERCISE, exercise)
    if exercise.status != ExerciseStatus.OPEN:
        raise ValidationError("This exercise has already closed.")
    return core.update(actor=actor, obj=exercise, data={"status": ExerciseStatus.CLOSED, "closed_at": now()})


def comment_decide(*, actor: Any, response: Response, release: bool, text: str = "") -> Response:
    """The facilitator's reading of one comment: released (as written, or edited to remove what could identify
    someone: ``text``), or withheld. Changeable until the report is released."""
    exercise = response.exercise
    require(actor, Perm.MANAGE_FEEDBACK_EXERCISE, exercise)
    if exercise.status == ExerciseStatus.RELEASED:
        raise ValidationError("The report has been released: its comments can no longer be changed.")
    if response.comment_state == CommentState.NONE:
        raise ValidationError("This response has no comment.")
    wording = (text or response.comment).strip() if release else ""
    if release and not wording:
        raise ValidationError({"text": "Give the comment as it should be released, or withhold it."})
    return core.update(
        actor=actor,
        obj=response,
        data={
            "comment_state": CommentState.RELEASED if release else CommentState.WITHHELD,
            "released_comment": wording,
        },
    )


def release_missing(exercise: Exercise) -> list[tuple[str, bool]]:
    """What releasing needs, each with whether it is done (shown as a task list when something is not)."""
    waiting = Response.objects.filter(exercise=exercise, comment_state=CommentState.AWAITING).count()
    return [
        ("The exercise has closed", exercise.status != ExerciseStatus.OPEN),
        (
            "Every comment has been read and released or withheld" + (f" ({waiting} still to read)" if waiting else ""),
            waiting == 0,
        ),
    ]


@transaction.atomic
def report_release(*, actor: Any, exercise: Exercise) -> Exercise:
    """Release the report to the doctor: its overall figures are stored for the trust's comparisons (only those the
    anonymity rules show), and the doctor is told they can read it and reflect on it."""
    require(actor, Perm.RELEASE_FEEDBACK_REPORT, exercise)
    if not all(done for _, done in release_missing(exercise)):
        raise ValidationError("Read every comment, and release or withhold it, before releasing the report.")
    built = build(exercise)
    rows = []
    for q in built.questions:
        kind = pure.COLLEAGUE if q.questionnaire_id == exercise.colleague_questionnaire_id else pure.PATIENT
        mean = built.report.overall(kind).get(q.pk)
        if mean is not None:
            rows.append(
                ExerciseScore(
                    exercise=exercise, question=q, mean=mean, respondents=built.report.overall_answers(kind)[q.pk]
                )
            )
    ExerciseScore.objects.filter(exercise=exercise).delete()
    for row in rows:
        core.create(actor=actor, obj=row)
    exercise = core.update(
        actor=actor,
        obj=exercise,
        data={"status": ExerciseStatus.RELEASED, "released_at": now(), "released_by": actor},
    )
    notify.email_people(
        [exercise.doctor],
        subject="Your colleague and patient feedback report is ready",
        body=(
            f"{exercise.facilitator or 'Your facilitator'} has released your feedback report. Read it in medlead, "
            "write your reflection, and it will go into your next appraisal as supporting information."
        ),
    )
    return exercise


@transaction.atomic
def reflect(*, actor: Any, exercise: Exercise, reflection: str, day: dt.date) -> Exercise:
    """The doctor's reflection on the released report. The first time, it becomes supporting information in their
    next appraisal (feedback from colleagues, and from patients when the exercise had patients), linked to the
    exercise; later, the reflection is changed in both places while that appraisal is not signed off."""
    require(actor, Perm.REFLECT_ON_FEEDBACK, exercise)
    text = reflection.strip()
    if not text:
        raise ValidationError({"reflection": "Write your reflection on the report."})
    items = [si for si in (exercise.supporting_info, exercise.patient_supporting_info) if si is not None]
    if items:
        for si in items:
            if si.appraisal.status == "signed_off":
                raise ValidationError(
                    f"Your reflection is in your {si.appraisal.year_label} appraisal, which is signed off: it can no "
                    "longer be changed."
                )
            require(actor, Perm.EDIT_APPRAISAL_INPUTS, si.appraisal)
            core.update(actor=actor, obj=si, data={"reflection": text})
        return core.update(actor=actor, obj=exercise, data={"reflection": text, "reflected_at": now()})
    kinds = ["colleague_feedback"] + (["patient_feedback"] if exercise.patient_questionnaire_id else [])
    released = day_of(exercise.released_at) if exercise.released_at else day
    made = feedback_supporting_info_add(
        actor=actor,
        person=exercise.doctor,
        kinds=kinds,
        title=f"Colleague and patient feedback report, released {released:%-d %B %Y}"
        if exercise.patient_questionnaire_id
        else f"Colleague feedback report, released {released:%-d %B %Y}",
        day=day,
        reflection=text,
    )
    return core.update(
        actor=actor,
        obj=exercise,
        data={
            "reflection": text,
            "reflected_at": now(),
            "supporting_info": made[0],
            "patient_supporting_info": made[1] if len(made) > 1 else None,
        },
    )


# ------------------------------------------------------------------------------------ feedback administrators


def administrator_add(*, actor: Any, trust: Trust, person: Any) -> FeedbackAdministrator:
    """Name someone to run doctors' feedback exercises (besides the appraisers); naming oneself is refused."""
    require(actor, Perm.MANAGE_FEEDBACK_ADMINISTRATORS, trust)
    if person.pk == getattr(actor, "person_id", None):
        raise ValidationError({"person": "Nobody names themselves: ask a colleague who may name administrators."})
    found = FeedbackAdministrator.objects.filter(trust=trust, person=person).first()
    if found is not None:
        if found.active:
            raise ValidationError({"person": f"{person.display_name} is already a feedback administrator."})
        return core.update(actor=actor, obj=found, data={"active": True})
    return core.create(actor=actor, obj=FeedbackAdministrator(trust=trust, person=person))


def administrator_remove(*, actor: Any, administrator: FeedbackAdministrator) -> FeedbackAdministrator:
    """Stop someone being a feedback administrator: exercises they already facilitate keep them."""
    require(actor, Perm.MANAGE_FEEDBACK_ADMINISTRATORS, administrator.trust)
    return core.update(actor=actor, obj=administrator, data={"active": False})
