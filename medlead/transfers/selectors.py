"""Reads of information transfers, each scoped to one trust (as the trust that asked, or the trust asked), with a
number of queries that does not grow with the data; and the facts medlead holds in the previous trust that the
previous responsible officer is offered, to check, when completing one."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from medlead.organisation.models import Person, Placement, StaffKind, Trust
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection, Recommendation
from medlead.rulebook.selectors import value_for
from medlead.transfers.content import CONNECTED_FROM, CONNECTED_UNTIL, EXPECTED_DAYS, FILE
from medlead.transfers.models import InformationTransfer, Status

# How long after it was sent, declined or withdrawn a transfer stays on its doctor's home page.
DOCTOR_TOLD_DAYS = 28


def expected_days(*, trust: Trust, day: dt.date) -> int:
    """How many days a request may wait for the previous responsible officer before it is said to wait longer than
    expected: the trust's own value where it confirmed or changed it (data/information_transfer.yaml)."""
    return int(value_for(trust, FILE, EXPECTED_DAYS, day).value)


def _with_parties(qs: QuerySet[InformationTransfer]) -> QuerySet[InformationTransfer]:
    return qs.select_related("trust", "previous_trust", "doctor", "requested_by__person", "sent_by__person")


def find(*, trust: Trust, pk: int) -> InformationTransfer | None:
    """The transfer ``pk`` if ``trust`` asked for it or was asked for it (the policy then decides who may see it)."""
    return _with_parties(InformationTransfer.objects.filter(Q(trust=trust) | Q(previous_trust=trust), pk=pk)).first()


def asked_by(*, trust: Trust) -> QuerySet[InformationTransfer]:
    """The transfers ``trust`` asked other trusts for, newest first."""
    return _with_parties(InformationTransfer.objects.filter(trust=trust))


def asked_of(*, trust: Trust) -> QuerySet[InformationTransfer]:
    """The transfers other trusts asked ``trust`` for, newest first."""
    return _with_parties(InformationTransfer.objects.filter(previous_trust=trust))


def about(*, trust: Trust, doctor: Person) -> QuerySet[InformationTransfer]:
    """The transfers about this doctor that their trust asked for, newest first."""
    return _with_parties(InformationTransfer.objects.filter(trust=trust, doctor=doctor))


def to_complete(*, trust: Trust, person_id: int | None) -> QuerySet[InformationTransfer]:
    """The requests waiting for ``trust``'s responsible officer to complete, never one about themselves."""
    qs = InformationTransfer.objects.filter(previous_trust=trust, status=Status.REQUESTED)
    if person_id is not None:
        qs = qs.exclude(Q(doctor_id=person_id) | Q(previous_person_id=person_id))
    return qs.order_by("requested_on", "pk")


def to_read(*, trust: Trust, person_id: int | None) -> QuerySet[InformationTransfer]:
    """Transfers sent to ``trust`` that its responsible officer has not read yet."""
    qs = InformationTransfer.objects.filter(trust=trust, status=Status.SENT, first_read_on__isnull=True)
    if person_id is not None:
        qs = qs.exclude(Q(doctor_id=person_id) | Q(previous_person_id=person_id))
    return qs.order_by("sent_on", "pk")


def waiting_since(*, trust: Trust, before: dt.date) -> QuerySet[InformationTransfer]:
    """Requests ``trust`` made before ``before`` that still wait for the previous responsible officer."""
    return InformationTransfer.objects.filter(trust=trust, status=Status.REQUESTED, requested_on__lt=before).order_by(
        "requested_on", "pk"
    )


def doctors_to_ask(*, trust: Trust) -> QuerySet[Person]:
    """The trust's active doctors whose record in another trust is no longer active (the GMC number links them: they
    have moved here), for whom nobody has asked that trust's responsible officer for their information transfer; a
    lead employer's resident doctor placed here is not one (the placement moves no connection)."""
    elsewhere = Person.objects.filter(gmc_number=OuterRef("gmc_number"), active=False).exclude(trust=trust)
    asked = InformationTransfer.objects.filter(trust=trust, doctor=OuterRef("pk")).exclude(status=Status.WITHDRAWN)
    placed = Placement.objects.filter(Q(placed_as=OuterRef("pk")) | Q(employee=OuterRef("pk")))
    return (
        Person.objects.filter(trust=trust, active=True, kind=StaffKind.DOCTOR)
        .exclude(gmc_number="")
        .filter(Exists(elsewhere))
        .exclude(Exists(asked))
        .exclude(Exists(placed))
        .order_by("created_at", "pk")
    )


def of_doctor_lately(*, trust: Trust, doctor_id: int, today: dt.date) -> QuerySet[InformationTransfer]:
    """The transfers about this doctor still waiting, or sent, declined or withdrawn in the last few weeks: their home
    page tells them so."""
    since = today - dt.timedelta(days=DOCTOR_TOLD_DAYS)
    return InformationTransfer.objects.filter(trust=trust, doctor_id=doctor_id).filter(
        Q(status=Status.REQUESTED) | Q(closed_on__gte=since)
    )


def record_in(*, trust: Trust, gmc_number: str) -> Person | None:
    """The person record with this GMC number in ``trust``, for the service that links a request to it."""
    if not gmc_number:
        return None
    return Person.objects.filter(trust=trust, gmc_number=gmc_number).first()


def _on(day: dt.date | None) -> str:
    return f"{day:%-d %B %Y}" if day else ""


def facts_held(person: Person | None) -> dict[str, Any]:
    """What medlead holds about the doctor in the previous trust, as the answers the form's ``prefill`` names: the
    period of their latest prescribed connection, their appraisals (dates and outcomes, never content), the last
    revalidation recommendation and the submission date. Three queries; nothing where there is no record."""
    if person is None:
        return {}
    facts: dict[str, Any] = {}
    connection = Connection.objects.filter(trust=person.trust_id, person=person).order_by("-connected_on").first()
    if connection is not None:
        facts[CONNECTED_FROM] = connection.connected_on.isoformat()
        if connection.disconnected_on:
            facts[CONNECTED_UNTIL] = connection.disconnected_on.isoformat()
        facts["revalidation_due_on"] = connection.submission_date.isoformat()
    appraisals = list(
        Appraisal.objects.filter(trust=person.trust_id, person=person)
        .order_by("-year")
        .only("year", "status", "meeting_date", "signed_off_on")[:5]
    )
    done = [a for a in appraisals if a.status in (AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF)]
    if done:
        last = done[0]
        day = last.meeting_date or last.signed_off_on
        if day:
            facts["last_appraisal_on"] = day.isoformat()
    if appraisals:
        lines = []
        for a in appraisals:
            day = a.signed_off_on or a.meeting_date
            lines.append(f"{a.year_label}: {a.get_status_display().lower()}" + (f" ({_on(day)})" if day else ""))
        facts["appraisals"] = "\n".join(lines)
    recommendation = (
        Recommendation.objects.filter(trust=person.trust_id, person=person).order_by("-made_on", "-pk").first()
    )
    if recommendation is not None:
        text = f"{recommendation.get_kind_display()}, made on {_on(recommendation.made_on)}"
        if recommendation.defer_to:
            text += f", deferred to {_on(recommendation.defer_to)}"
        if recommendation.submitted_on:
            text += f"; submitted to the GMC on {_on(recommendation.submitted_on)}"
        facts["last_recommendation"] = text + "."
    return facts
