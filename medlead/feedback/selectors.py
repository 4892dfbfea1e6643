"""Reads for the feedback exercise, each scoped to one trust, with a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Count, Q, QuerySet

from medlead.feedback.models import (
    Exercise,
    ExerciseStatus,
    FeedbackAdministrator,
    Invitation,
    PatientCard,
    Questionnaire,
    QuestionnaireKind,
    Response,
)
from medlead.organisation.models import Person, Trust
from medlead.revalidation.models import Appraiser, Connection


def facilitators(*, trust: Trust, doctor: Person | None = None) -> QuerySet[Person]:
    """Who may run a doctor's exercise: the trust's active appraisers and feedback administrators, never the
    doctor."""
    appraisers = Appraiser.objects.filter(trust=trust, active=True).values("person_id")
    admins = FeedbackAdministrator.objects.filter(trust=trust, active=True).values("person_id")
    people = Person.objects.filter(Q(pk__in=appraisers) | Q(pk__in=admins), trust=trust)
    if doctor is not None:
        people = people.exclude(pk=doctor.pk)
    return people.order_by("last_name", "first_name")


def is_connected(*, trust: Trust, person: Person, day: dt.date) -> bool:
    """Whether ``person`` is a doctor connected to ``trust`` for revalidation on ``day``."""
    return (
        Connection.objects.filter(trust=trust, person=person, connected_on__lte=day)
        .filter(Q(disconnected_on__isnull=True) | Q(disconnected_on__gt=day))
        .exists()
    )


def exercise(*, trust: Trust, pk: int) -> Exercise | None:
    return (
        Exercise.objects.select_related(
            "doctor", "facilitator", "colleague_questionnaire", "patient_questionnaire", "trust"
        )
        .filter(trust=trust, pk=pk)
        .first()
    )


def counts(exercise: Exercise) -> dict[str, int]:
    """The live counts: responses of each kind, invitations sent, cards printed and not yet used (one query each
    for responses, invitations and cards). Never who answered."""
    responses = Response.objects.filter(exercise=exercise).aggregate(
        colleagues=Count("pk", filter=Q(kind=QuestionnaireKind.COLLEAGUE)),
        patients=Count("pk", filter=Q(kind=QuestionnaireKind.PATIENT)),
    )
    invited = Invitation.objects.filter(exercise=exercise).count()
    cards = PatientCard.objects.filter(exercise=exercise, printed_at__isnull=False).count()
    return {
        "colleagues": responses["colleagues"] or 0,
        "patients": responses["patients"] or 0,
        "invited": invited,
        "cards": cards,
    }


def invitations(exercise: Exercise) -> list[Invitation]:
    """The colleagues invited, as the doctor sees them: name, address, role and whether the email went. Whether
    each answered (``used_at``) is never read here."""
    return list(
        Invitation.objects.filter(exercise=exercise)
        .only("pk", "name", "email", "role", "invited_at", "send_failed", "exercise_id")
        .order_by("name", "pk")
    )


def exercises_of(*, trust: Trust, doctor: Person) -> list[Exercise]:
    return list(
        Exercise.objects.filter(trust=trust, doctor=doctor).select_related("facilitator").order_by("-opens_on", "-pk")
    )


def open_exercises(*, trust: Trust, doctor_id: int) -> QuerySet[Exercise]:
    return Exercise.objects.filter(trust=trust, doctor_id=doctor_id, status=ExerciseStatus.OPEN)


def open_exercise(*, trust: Trust, doctor_id: int) -> Exercise | None:
    return open_exercises(trust=trust, doctor_id=doctor_id).first()


def to_run_set(*, trust: Trust, facilitator_id: int) -> QuerySet[Exercise]:
    """The open and closed exercises this person facilitates (never their own), the soonest to close first."""
    return (
        Exercise.objects.filter(
            trust=trust,
            facilitator_id=facilitator_id,
            status__in=[ExerciseStatus.OPEN, ExerciseStatus.CLOSED],
        )
        .exclude(doctor_id=facilitator_id)
        .order_by("closes_on", "pk")
    )


def to_run(*, trust: Trust, facilitator_id: int) -> list[Exercise]:
    """The open and closed exercises this person facilitates (never their own)."""
    return list(to_run_set(trust=trust, facilitator_id=facilitator_id).select_related("doctor"))


def last_printed(exercise: Exercise) -> list[PatientCard]:
    """The cards of the exercise's last printing that are not yet used (the PDF prints them)."""
    latest = (
        PatientCard.objects.filter(exercise=exercise, printed_at__isnull=False)
        .order_by("-printed_at")
        .values_list("printed_at", flat=True)
        .first()
    )
    if latest is None:
        return []
    return list(PatientCard.objects.filter(exercise=exercise, printed_at=latest, used_at__isnull=True).order_by("pk"))


def unused_cards(exercise: Exercise) -> QuerySet[PatientCard]:
    return PatientCard.objects.filter(exercise=exercise, used_at__isnull=True, printed_at__isnull=False)


def summary(exercise: Exercise) -> dict[str, Any]:
    return {"exercise": exercise, "counts": counts(exercise)}


def questionnaires(*, trust: Trust) -> QuerySet[Questionnaire]:
    """Every questionnaire version the trust's doctors may be offered: the national ones and the trust's own."""
    return Questionnaire.objects.filter(Q(trust__isnull=True) | Q(trust=trust)).order_by(
        "kind", "trust_id", "name", "-version"
    )
