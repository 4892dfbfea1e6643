"""Writes for MHPS cases. Each validates, saves nothing on failure, and is audited without copying content; the
people named on a case are told only that they have a task on a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.concerns.models import (
    AdviceContact,
    Case,
    CaseRole,
    CaseStatus,
    Evidence,
    Investigation,
    Measure,
    MeasureKind,
    RoleKind,
)
from medlead.concerns.selectors import investigator_appointed_on, mhps_values, rules, timetable
from medlead.core import notify
from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.core.uploads import validate_evidence
from medlead.organisation.models import Grade, Person
from medlead.revalidation.models import ConflictOfInterest
from medlead.structure.selectors import current_holdings

TASK = "You have a task on a case in medlead. Sign in to see it."


def _tell(people: list[Person]) -> None:
    notify.email_people(people, subject="A task for you in medlead", body=TASK)


def _conflicted(person: Person, doctor: Person) -> bool:
    """A conflict of interest declared between the two (the trust's register, either way round)."""
    from django.db.models import Q

    return ConflictOfInterest.objects.filter(
        Q(appraiser=person, doctor=doctor) | Q(appraiser=doctor, doctor=person)
    ).exists()


def _holds(person: Person, post_type: str) -> bool:

    return current_holdings(trust=person.trust).filter(person=person, post__post_type__code=post_type).exists()


def _case_manager_refused(doctor: Person, case_manager: Person) -> str:
    """Why ``case_manager`` may not manage a case about ``doctor`` under MHPS Part I para 4, or ""."""
    senior = doctor.grade == Grade.CONSULTANT or _holds(doctor, "clinical_director")
    if senior and not _holds(case_manager, "medical_director"):
        return (
            "Under MHPS (Part I, paragraph 4) the medical director is the case manager for consultants and "
            "clinical directors."
        )
    return ""


@transaction.atomic
def case_open(
    *,
    actor: Any,
    doctor: Person,
    raised_by: str,
    raised_on: dt.date,
    categories: list[str],
    source: str,
    summary: str,
    case_manager: Person,
    initial_assessment: str = "",
    today: dt.date,
) -> Case:
    """Record a concern and name its case manager. MHPS Part I para 4: the medical director is the case manager for
    consultants and clinical directors; in other cases the role may be delegated, and who delegated is recorded."""
    require(actor, Perm.OPEN_CASE, doctor)
    cfg = rules()
    errors: dict[str, str] = {}
    known = {c["code"] for c in cfg["categories"]}
    if not categories or not set(categories) <= known:
        errors["categories"] = "Choose one or more of conduct, capability and health."
    if source not in {s["code"] for s in cfg["sources"]}:
        errors["source"] = "Choose where the concern came from."
    if raised_on > today:
        errors["raised_on"] = "The date the concern was raised cannot be in the future."
    if case_manager.pk == doctor.pk:
        errors["case_manager"] = "The doctor concerned cannot manage their own case."
    elif case_manager.trust_id != doctor.trust_id:
        errors["case_manager"] = "The case manager must work in the same trust."
    elif _conflicted(case_manager, doctor):
        errors["case_manager"] = "The case manager has a declared conflict of interest with the doctor."
    manager_is_md = _holds(case_manager, "medical_director")
    if "case_manager" not in errors and (reason := _case_manager_refused(doctor, case_manager)):
        errors["case_manager"] = reason
    if errors:
        raise ValidationError(errors)
    case = core.create(
        actor=actor,
        obj=Case(
            trust_id=doctor.trust_id,
            doctor=doctor,
            raised_by=raised_by.strip(),
            raised_on=raised_on,
            categories=sorted(set(categories)),
            source=source,
            summary=summary.strip(),
            initial_assessment=initial_assessment.strip(),
        ),
    )
    by = getattr(actor, "person", None)
    core.create(
        actor=actor,
        obj=CaseRole(
            trust_id=case.trust_id,
            case=case,
            person=case_manager,
            role=RoleKind.CASE_MANAGER,
            appointed_on=today,
            delegated_by=by if (by is not None and not manager_is_md and by.pk != case_manager.pk) else None,
        ),
    )
    if by is None or by.pk != case_manager.pk:
        _tell([case_manager])
    return case


@transaction.atomic
def role_appoint(*, actor: Any, case: Case, person: Person, role: str, today: dt.date) -> CaseRole:
    """The case manager names an investigator, the designated board member or the HR lead."""
    require(actor, Perm.MANAGE_CASE, case)
    if role not in RoleKind.values or role == RoleKind.CASE_MANAGER:
        raise ValidationError({"role": "Choose a case investigator, the designated board member or the HR lead."})
    if person.pk == case.doctor_id:
        raise ValidationError({"person": "The doctor concerned cannot hold a role on their own case."})
    if person.trust_id != case.trust_id:
        raise ValidationError({"person": "Choose someone in the same trust."})
    if _conflicted(person, case.doctor):
        raise ValidationError({"person": f"{person.display_name} has a declared conflict of interest with the doctor."})
    if CaseRole.objects.filter(case=case, person=person, role=role).exists():
        raise ValidationError({"person": f"{person.display_name} already has that role on this case."})
    named = core.create(
        actor=actor, obj=CaseRole(trust_id=case.trust_id, case=case, person=person, role=role, appointed_on=today)
    )
    _tell([person])
    return named


@transaction.atomic
def case_manager_hand_over(*, actor: Any, case: Case, person: Person, today: dt.date) -> CaseRole:
    """The case manager hands the case to a successor (a new medical director, say), within the same MHPS rule;
    the successor is told they have a task; the hand-over is in the case's audit trail."""
    require(actor, Perm.MANAGE_CASE, case)
    if person.pk == case.doctor_id:
        raise ValidationError({"person": "The doctor concerned cannot manage their own case."})
    if person.trust_id != case.trust_id:
        raise ValidationError({"person": "Choose someone in the same trust."})
    if _conflicted(person, case.doctor):
        raise ValidationError({"person": f"{person.display_name} has a declared conflict of interest with the doctor."})
    if reason := _case_manager_refused(case.doctor, person):
        raise ValidationError({"person": reason})
    current = list(case.roles.filter(role=RoleKind.CASE_MANAGER))
    if any(r.person_id == person.pk for r in current):
        raise ValidationError({"person": f"{person.display_name} already manages this case."})
    successor = core.create(
        actor=actor,
        obj=CaseRole(trust_id=case.trust_id, case=case, person=person, role=RoleKind.CASE_MANAGER, appointed_on=today),
    )
    for r in current:
        core.delete(actor=actor, obj=r, note="case handed over")
    _tell([person])
    return successor


def advice_add(*, actor: Any, case: Case, contacted_on: dt.date, adviser: str, summary: str, today: dt.date) -> Any:
    require(actor, Perm.MANAGE_CASE, case)
    if contacted_on > today:
        raise ValidationError({"contacted_on": "The date of the contact cannot be in the future."})
    if contacted_on < case.raised_on:
        raise ValidationError({"contacted_on": "The contact cannot come before the concern was raised."})
    return core.create(
        actor=actor,
        obj=AdviceContact(
            trust_id=case.trust_id, case=case, contacted_on=contacted_on, adviser=adviser.strip(), summary=summary
        ),
    )


@transaction.atomic
def measure_add(
    *, actor: Any, case: Case, kind: str, starts_on: dt.date, review_by: dt.date, details: str = ""
) -> Measure:
    """An exclusion period or a restriction, within MHPS's limits (data/mhps.yaml): an immediate exclusion for at
    most 2 weeks; a formal exclusion for at most 4 weeks at a time, with Practitioner Performance Advice consulted
    before it, and again once exclusion passes three periods."""
    require(actor, Perm.MANAGE_CASE, case)
    # the limits as the case's trust applies them on the day the measure starts
    cfg = {k: int(v.value) for k, v in mhps_values(case.trust, starts_on).items()}
    limits: dict[str, int] = {
        MeasureKind.IMMEDIATE: cfg["exclusion.immediate_max_days"],
        MeasureKind.FORMAL: cfg["exclusion.formal_period_max_days"],
        MeasureKind.RESTRICTION: cfg["restriction_review_max_days"],
    }
    if kind not in MeasureKind.values:
        raise ValidationError({"kind": "Choose an immediate exclusion, a formal exclusion or a restriction."})
    errors: dict[str, str] = {}
    if starts_on < case.raised_on:
        errors["starts_on"] = "It cannot start before the concern was raised."
    days = (review_by - starts_on).days
    if days <= 0:
        errors["review_by"] = "The review must fall after the start."
    elif days > limits[kind]:
        errors["review_by"] = (
            f"{MeasureKind(kind).label} can last at most {limits[kind]} days before it is reviewed; this is {days}."
        )
    if kind == MeasureKind.FORMAL:
        advice = list(case.advice.values_list("contacted_on", flat=True))
        if not any(d <= starts_on for d in advice):
            errors["kind"] = "Consult Practitioner Performance Advice before a formal exclusion, and record it first."
        formal = list(case.measures.filter(kind=MeasureKind.FORMAL).order_by("starts_on"))
        after = cfg["exclusion.ppa_again_after_periods"]
        if len(formal) >= after and not any(d >= formal[after - 1].starts_on for d in advice):
            errors["kind"] = (
                f"Exclusion has passed {after} periods: consult Practitioner Performance Advice again and record it."
            )
    if errors:
        raise ValidationError(errors)
    return core.create(
        actor=actor,
        obj=Measure(
            trust_id=case.trust_id, case=case, kind=kind, starts_on=starts_on, review_by=review_by, details=details
        ),
    )


def measure_review(*, actor: Any, measure: Measure, reviewed_on: dt.date, outcome: str, today: dt.date) -> Measure:
    require(actor, Perm.MANAGE_CASE, measure.case)
    if outcome not in ("renewed", "lifted"):
        raise ValidationError({"outcome": "Say whether it was renewed or lifted."})
    if reviewed_on > today or reviewed_on < measure.starts_on:
        raise ValidationError({"reviewed_on": "The review falls between the start and today."})
    return core.update(actor=actor, obj=measure, data={"reviewed_on": reviewed_on, "review_outcome": outcome})


def decide(*, actor: Any, case: Case, decision: str, reasons: str, decided_on: dt.date, today: dt.date) -> Case:
    require(actor, Perm.MANAGE_CASE, case)
    if decision not in {d["code"] for d in rules()["decisions"]}:
        raise ValidationError({"decision": "Choose a decision."})
    if not reasons.strip():
        raise ValidationError({"decision_reasons": "Give the reasons for the decision."})
    if not case.raised_on <= decided_on <= today:
        raise ValidationError({"decided_on": "The decision falls between the concern being raised and today."})
    return core.update(
        actor=actor,
        obj=case,
        data={"decision": decision, "decision_reasons": reasons.strip(), "decided_on": decided_on},
    )


def close(*, actor: Any, case: Case, closed_on: dt.date, today: dt.date) -> Case:
    require(actor, Perm.MANAGE_CASE, case)
    if not case.decision:
        raise ValidationError("Record the decision before closing the case.")
    if case.measures.filter(reviewed_on__isnull=True).exists():
        raise ValidationError("Review or lift every exclusion and restriction before closing the case.")
    if not case.raised_on <= closed_on <= today:
        raise ValidationError({"closed_on": "The case closes between the concern being raised and today."})
    return core.update(actor=actor, obj=case, data={"status": CaseStatus.CLOSED, "closed_on": closed_on})


def investigation_start(
    *, actor: Any, case: Case, terms_of_reference: str, started_on: dt.date, today: dt.date
) -> Investigation:
    """The case manager sets terms of reference; the report falls due 4 weeks and 5 days after the case
    investigator's appointment (MHPS Part I; the days are in data/mhps.yaml), whenever the investigation starts."""
    require(actor, Perm.MANAGE_CASE, case)
    if hasattr(case, "investigation"):
        raise ValidationError("This case already has an investigation.")
    appointed_on = investigator_appointed_on(case)
    if appointed_on is None:
        raise ValidationError("Name a case investigator before starting the investigation.")
    if not case.raised_on <= started_on <= today:
        raise ValidationError({"started_on": "The investigation starts between the concern being raised and today."})
    if not terms_of_reference.strip():
        raise ValidationError({"terms_of_reference": "Set the terms of reference."})
    due = timetable(trust=case.trust, appointed_on=appointed_on).report_due
    return core.create(
        actor=actor,
        obj=Investigation(
            trust_id=case.trust_id,
            case=case,
            terms_of_reference=terms_of_reference.strip(),
            started_on=started_on,
            report_due=due,
        ),
    )


def investigation_update(*, actor: Any, case: Case, data: dict[str, Any], today: dt.date) -> Investigation:
    """Record the report, the doctor's comments, the outcome or an appeal."""
    require(actor, Perm.MANAGE_CASE, case)
    inv = getattr(case, "investigation", None)
    if inv is None:
        raise ValidationError("Start the investigation first.")
    allowed = {
        "report",
        "report_received_on",
        "report_to_doctor_on",
        "doctor_comments",
        "outcome",
        "outcome_on",
        "appeal",
    }
    data = {k: v for k, v in data.items() if k in allowed and v not in (None, "")}
    for field in ("report_received_on", "report_to_doctor_on", "outcome_on"):
        day = data.get(field)
        if day is not None and not inv.started_on <= day <= today:
            raise ValidationError({field: "The date falls between the start of the investigation and today."})
    received = data.get("report_received_on", inv.report_received_on)
    to_doctor = data.get("report_to_doctor_on")
    if to_doctor is not None and (received is None or to_doctor < received):
        raise ValidationError(
            {"report_to_doctor_on": "The doctor receives the report once the case manager has it: record that first."}
        )
    if data.get("outcome") and not (data.get("report") or inv.report):
        raise ValidationError({"outcome": "Record the investigation's report before its outcome."})
    return core.update(actor=actor, obj=inv, data=data)


def evidence_add(
    *, actor: Any, case: Case, kind: str, on: dt.date, description: str, file: Any = None, health: bool = False
) -> Evidence:
    require(actor, Perm.MANAGE_CASE, case)

    if file:
        validate_evidence(file)
    return core.create(
        actor=actor,
        obj=Evidence(
            trust_id=case.trust_id, case=case, kind=kind, on=on, description=description, file=file or "", health=health
        ),
    )


def health_access_set(*, actor: Any, role: CaseRole, allowed: bool) -> CaseRole:
    """The case manager names who may see the case's health information."""
    require(actor, Perm.MANAGE_CASE, role.case)
    return core.update(actor=actor, obj=role, data={"health_access": allowed})
