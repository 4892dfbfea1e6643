"""Writes for the feedback exercise. The doctor's and the facilitator's are validated and audited; a colleague's
or a patient's answers are not audited (the trail would join an answer's time to an invitation's) and are saved
with no link to the invitation or card they came through (ADR 0027)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.text import slugify

from medlead.core import notify
from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.feedback import selectors
from medlead.feedback.models import (
    Answer,
    AnswerType,
    Channel,
    CommentState,
    Exercise,
    ExerciseStatus,
    Invitation,
    PatientCard,
    Question,
    Questionnaire,
    QuestionnaireKind,
    Response,
    new_card_code,
)
from medlead.feedback.tasks import send_invitation
from medlead.organisation.models import Person, Trust

LONGEST_EXERCISE_DAYS = 183  # an exercise is kept open at most about six months
MOST_CARDS = 200  # cards printed at once


def exercise_start(
    *,
    actor: Any,
    doctor: Person,
    facilitator: Person,
    closes_on: dt.date,
    colleague_questionnaire: Questionnaire,
    patient_questionnaire: Questionnaire | None,
    no_patient_reason: str = "",
    today: dt.date,
) -> Exercise:
    trust = doctor.trust
    require(actor, Perm.START_FEEDBACK_EXERCISE, trust)
    errors: dict[str, str] = {}
    if not selectors.is_connected(trust=trust, person=doctor, day=today):
        raise ValidationError("Only a doctor connected to this trust for revalidation can start a feedback exercise.")
    if selectors.open_exercise(trust=trust, doctor_id=doctor.pk) is not None:
        raise ValidationError("You already have a feedback exercise open: close it before starting another.")
    if facilitator.pk == doctor.pk or not selectors.facilitators(trust=trust, doctor=doctor).filter(pk=facilitator.pk):
        errors["facilitator"] = "Choose one of the trust's appraisers or feedback administrators, not yourself."
    if closes_on <= today:
        errors["closes_on"] = "The close date must be in the future."
    elif closes_on > today + dt.timedelta(days=LONGEST_EXERCISE_DAYS):
        errors["closes_on"] = "Close the exercise within six months."
    if colleague_questionnaire.kind != QuestionnaireKind.COLLEAGUE:
        errors["colleague_questionnaire"] = "Choose a colleague questionnaire."
    if patient_questionnaire is not None and patient_questionnaire.kind != QuestionnaireKind.PATIENT:
        errors["patient_questionnaire"] = "Choose a patient questionnaire."
    if patient_questionnaire is None and not no_patient_reason.strip():
        errors["no_patient_reason"] = "Say why there is no patient questionnaire (for example, you see no patients)."
    if errors:
        raise ValidationError(errors)
    return core.create(
        actor=actor,
        obj=Exercise(
            trust=trust,
            doctor=doctor,
            facilitator=facilitator,
            opens_on=today,
            closes_on=closes_on,
            colleague_questionnaire=colleague_questionnaire,
            patient_questionnaire=patient_questionnaire,
            no_patient_reason="" if patient_questionnaire else no_patient_reason.strip(),
        ),
    )


@dataclass(frozen=True)
class Invitee:
    name: str
    email: str
    role: str
    person: Person | None = None


def colleagues_invite(*, actor: Any, exercise: Exercise, invitees: Sequence[Invitee]) -> list[Invitation]:
    """Invite colleagues; each invitation is emailed from the task queue once saved. An address already invited
    is refused (a colleague answers once)."""
    require(actor, Perm.INVITE_COLLEAGUES, exercise)
    if not invitees:
        raise ValidationError("Choose a colleague with the person picker, or give a name and email address.")
    if exercise.doctor.email and any(i.email.lower() == exercise.doctor.email.lower() for i in invitees):
        raise ValidationError("You cannot invite yourself.")
    if any(i.person is not None and i.person.pk == exercise.doctor_id for i in invitees):
        raise ValidationError("You cannot invite yourself.")
    taken = {e.lower() for e in Invitation.objects.filter(exercise=exercise).values_list("email", flat=True)}
    seen: set[str] = set()
    repeated = []
    for i in invitees:
        if i.email.lower() in taken or i.email.lower() in seen:
            repeated.append(i.email)
        seen.add(i.email.lower())
    if repeated:
        raise ValidationError(f"Already invited: {', '.join(repeated)}.")
    made = []
    with transaction.atomic():
        for i in invitees:
            invitation = core.create(
                actor=actor,
                obj=Invitation(exercise=exercise, person=i.person, name=i.name, email=i.email, role=i.role),
                note="colleague invited",
            )
            notify.after_commit(send_invitation, invitation.pk)
            made.append(invitation)
    return made


def cards_print(*, actor: Any, exercise: Exercise, count: int) -> list[PatientCard]:
    """Make ``count`` new patient cards, each with its own single-use code, printed now."""
    require(actor, Perm.PRINT_PATIENT_CARDS, exercise)
    if exercise.patient_questionnaire_id is None:
        raise ValidationError("This exercise has no patient questionnaire.")
    if not 1 <= count <= MOST_CARDS:
        raise ValidationError({"count": f"Print from 1 to {MOST_CARDS} cards at a time."})
    now = timezone.now()
    for _ in range(3):  # a clash of random codes is all but impossible; try again if one happens
        try:
            with transaction.atomic():
                cards = PatientCard.objects.bulk_create(
                    [PatientCard(exercise=exercise, code=new_card_code(), printed_at=now) for _ in range(count)]
                )
                core.update(actor=actor, obj=exercise, data={}, note=f"{count} patient cards printed")
                return cards
        except IntegrityError:
            continue
    raise ValidationError("The cards could not be made. Please try again.")


def _open_for_answers(exercise: Exercise, today: dt.date) -> bool:
    return exercise.status == ExerciseStatus.OPEN and exercise.opens_on <= today <= exercise.closes_on


def _save_response(
    *,
    exercise: Exercise,
    kind: str,
    questions: Iterable[Question],
    values: dict[int, int | None],
    comment: str,
    role: str = "",
    channel: str = Channel.ONLINE,
    today: dt.date,
) -> Response:
    comment = comment.strip()
    response = Response.objects.create(
        exercise=exercise,
        kind=kind,
        role=role,
        channel=channel,
        received_on=today,
        comment=comment,
        comment_state=CommentState.AWAITING if comment else CommentState.NONE,
    )
    Answer.objects.bulk_create(
        [
            Answer(response=response, question=q, value=values[q.pk])
            for q in questions
            if q.answer_type == AnswerType.SCALE and q.pk in values
        ]
    )
    return response


def colleague_answer(
    *,
    invitation_id: int,
    nonce: str,
    role: str,
    values: dict[int, int | None],
    comment: str,
    today: dt.date,
) -> bool:
    """A colleague's answers through their private link: the invitation is marked used and a response saved with
    no link back, in one transaction. False (nothing saved) when the link was used already or the exercise is not
    open: a second submit gives no second response."""
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("exercise__colleague_questionnaire")
            .filter(pk=invitation_id, nonce=nonce, used_at__isnull=True)
            .first()
        )
        if invitation is None or not _open_for_answers(invitation.exercise, today):
            return False
        # marked used only if still unused (a concurrent submit updates nothing and saves nothing)
        if not Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(used_at=timezone.now()):
            return False
        exercise = invitation.exercise
        _save_response(
            exercise=exercise,
            kind=QuestionnaireKind.COLLEAGUE,
            questions=exercise.colleague_questionnaire.questions.all(),
            values=values,
            comment=comment,
            role=role,
            today=today,
        )
    return True


def patient_answer(*, code: str, values: dict[int, int | None], comment: str, today: dt.date) -> bool:
    """A patient's answers through the code on their card: the card is marked used and a response saved with no
    link back, in one transaction. False (nothing saved) for a used, unknown or closed code."""
    with transaction.atomic():
        card = (
            PatientCard.objects.select_for_update(of=("self",))
            .select_related("exercise__patient_questionnaire")
            .filter(code=code, used_at__isnull=True, printed_at__isnull=False)
            .first()
        )
        if card is None or card.exercise.patient_questionnaire is None or not _open_for_answers(card.exercise, today):
            return False
        if not PatientCard.objects.filter(pk=card.pk, used_at__isnull=True).update(used_at=timezone.now()):
            return False
        exercise = card.exercise
        assert exercise.patient_questionnaire is not None
        _save_response(
            exercise=exercise,
            kind=QuestionnaireKind.PATIENT,
            questions=exercise.patient_questionnaire.questions.all(),
            values=values,
            comment=comment,
            today=today,
        )
    return True


def paper_enter(
    *,
    actor: Any,
    exercise: Exercise,
    kind: str,
    values: dict[int, int | None],
    comment: str,
    role: str = "",
    card: PatientCard | None = None,
    today: dt.date,
) -> Response:
    """The facilitator enters a paper or large-print response (channel paper): a patient's against an unused card
    of this exercise, or without one."""
    require(actor, Perm.MANAGE_FEEDBACK_EXERCISE, exercise)
    if exercise.status != ExerciseStatus.OPEN:
        raise ValidationError("This exercise is closed: no more answers can be entered.")
    questionnaire = (
        exercise.colleague_questionnaire if kind == QuestionnaireKind.COLLEAGUE else exercise.patient_questionnaire
    )
    if questionnaire is None:
        raise ValidationError("This exercise has no patient questionnaire.")
    with transaction.atomic():
        if card is not None:
            if card.exercise_id != exercise.pk or kind != QuestionnaireKind.PATIENT:
                raise ValidationError({"card": "That card is not one of this exercise's patient cards."})
            if not PatientCard.objects.filter(pk=card.pk, used_at__isnull=True).update(used_at=timezone.now()):
                raise ValidationError({"card": "That card has been used."})
        response = _save_response(
            exercise=exercise,
            kind=kind,
            questions=questionnaire.questions.all(),
            values=values,
            comment=comment,
            role=role if kind == QuestionnaireKind.COLLEAGUE else "",
            channel=Channel.PAPER,
            today=today,
        )
    return response


TRUST_COMMENT_QUESTION = "Anything else you would like to say (optional)"


@transaction.atomic
def questionnaire_add(
    *,
    actor: Any,
    trust: Trust,
    kind: str,
    name: str,
    source: str,
    applies_from: dt.date,
    recommended_responses: int,
    scale: Sequence[str],
    questions: Sequence[str],
    not_applicable: str = "",
    introduction: str = "",
) -> Questionnaire:
    """A trust's own validated questionnaire, as a new version (the same name again is the next version of it):
    from ``applies_from`` the trust's doctors may choose it (``questionnaires.in_force``). Each question is answered
    on ``scale``; a free-text comment question is added at the end. Versions already used by an exercise stay as
    they were."""
    require(actor, Perm.MANAGE_FEEDBACK_ADMINISTRATORS, trust)
    if kind not in QuestionnaireKind.values:
        raise ValidationError({"kind": "Choose who answers it."})
    code = ("trust-" + slugify(name))[:60].strip("-")
    if code == "trust":
        raise ValidationError({"name": "Give the questionnaire a name with letters or numbers in it."})
    if Questionnaire.objects.filter(trust=trust, code=code).exclude(kind=kind).exists():
        raise ValidationError({"name": "A questionnaire of the other kind has this name: choose another name."})
    latest = Questionnaire.objects.filter(trust=trust, code=code).aggregate(v=Max("version"))["v"] or 0
    questionnaire = core.create(
        actor=actor,
        obj=Questionnaire(
            trust=trust,
            kind=kind,
            code=code,
            version=latest + 1,
            name=name.strip(),
            source=source.strip(),
            applies_from=applies_from,
            verified=True,  # the trust's own, validated by the source it names
            scale=list(scale),
            not_applicable=not_applicable.strip(),
            recommended_responses=recommended_responses,
            introduction=introduction.strip(),
        ),
        note="the trust's own feedback questionnaire loaded",
    )
    Question.objects.bulk_create(
        [
            Question(questionnaire=questionnaire, code=f"q{n + 1}", text=text, position=n)
            for n, text in enumerate(questions)
        ]
        + [
            Question(
                questionnaire=questionnaire,
                code="comment",
                text=TRUST_COMMENT_QUESTION,
                answer_type=AnswerType.TEXT,
                position=len(questions),
            )
        ]
    )
    return questionnaire
