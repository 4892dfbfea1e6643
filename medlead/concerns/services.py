"""Writes for MHPS cases. Each validates, saves nothing on failure, and is audited without copying content; the
people named on a case are told only that they have a task on a case."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, Q, QuerySet

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
from medlead.core import dates, notify
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
    return ConflictOfInterest.objects.filter(
        Q(appraiser=person, doctor=doctor) | Q(appraiser=doctor, doctor=person)
    ).exists()


def _holds(person: Person, post_type: str) -> bool:

    return current_holdings(trust=person.trust).filter(person=person, post__post_type__code=post_type).exists()


def _senior(doctor: Person) -> bool:
    """A consultant or clinical director, whose case the medical director manages (MHPS Part I para 4)."""
    return doctor.grade == Grade.CONSULTANT or _holds(doctor, "clinical_director")


def _case_manager_refused(doctor: Person, case_manager: Person) -> str:
    """Why ``case_manager`` may not manage a case about ``doctor`` under MHPS Part I para 4, or ""."""
    if _senior(doctor) and not _holds(case_manager, "medical_director"):
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


def hand_over_candidates(case: Case) -> QuerySet[Person]:
    """Who may take the case over as its case manager: active people of the trust, not the doctor nor the case's
    current case manager, with no declared conflict of interest with the doctor, and, for a case about a consultant
    or clinical director, holding the medical director's post (MHPS Part I, paragraph 4). One query when asked."""
    current = case.roles.filter(role=RoleKind.CASE_MANAGER).values("person_id")
    conflicted = ConflictOfInterest.objects.filter(Q(appraiser=case.doctor) | Q(doctor=case.doctor))
    holdings = current_holdings(trust=case.trust)
    medical_directors = holdings.filter(post__post_type__code="medical_director").values("person_id")
    people = (
        Person.objects.filter(trust_id=case.trust_id, active=True)
        .exclude(pk=case.doctor_id)
        .exclude(pk__in=current)
        .exclude(pk__in=conflicted.values("doctor_id"))
        .exclude(pk__in=conflicted.values("appraiser_id"))
    )
    if case.doctor.grade == Grade.CONSULTANT:
        return people.filter(pk__in=medical_directors)
    doctor_is_cd = Exists(holdings.filter(person_id=case.doctor_id, post__post_type__code="clinical_director"))
    return people.filter(Q(pk__in=medical_directors) | ~doctor_is_cd)


def hand_over_missing(case: Case) -> str:
    """Why the case cannot be handed over now ("" when it can): nobody else may manage it."""
    if hand_over_candidates(case).exists():
        return ""
    if _senior(case.doctor):
        return (
            "Nobody else holds the medical director's post: under MHPS (Part I, paragraph 4) the medical director "
            "manages a case about a consultant or clinical director. Once the post has a new holder, hand it over."
        )
    return "Nobody else in the trust may manage this case."


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


_LIMIT_KEYS = {
    MeasureKind.IMMEDIATE: "exclusion.immediate_max_days",
    MeasureKind.FORMAL: "exclusion.formal_period_max_days",
    MeasureKind.RESTRICTION: "restriction_review_max_days",
}


def measure_limit_days(case: Case, kind: str, starts_on: dt.date) -> int:
    """How long a measure of ``kind`` may run before its review, as the case's trust applies it on its first day."""
    return int(mhps_values(case.trust, starts_on)[_LIMIT_KEYS[MeasureKind(kind)]].value)


def formal_exclusion_missing(case: Case, starts_on: dt.date | None = None) -> str:
    """Why a formal exclusion cannot be recorded now ("" when it can): MHPS asks that Practitioner Performance
    Advice is consulted before it, and again once exclusion passes three periods."""
    advice = list(case.advice.values_list("contacted_on", flat=True))
    if not any(starts_on is None or d <= starts_on for d in advice):
        return "Consult Practitioner Performance Advice before a formal exclusion, and record it first."
    on = starts_on or dates.today()
    after = int(mhps_values(case.trust, on)["exclusion.ppa_again_after_periods"].value)
    formal = list(case.measures.filter(kind=MeasureKind.FORMAL).order_by("starts_on"))
    if len(formal) >= after and not any(d >= formal[after - 1].starts_on for d in advice):
        return f"Exclusion has passed {after} periods: consult Practitioner Performance Advice again and record it."
    return ""


def measure_problems(*, case: Case, kind: str, starts_on: dt.date, review_by: dt.date) -> dict[str, str]:
    """What stops an exclusion or restriction being recorded, by field: none when it can be (MHPS's limits)."""
    if kind not in MeasureKind.values:
        return {"kind": "Choose an immediate exclusion, a formal exclusion or a restriction."}
    errors: dict[str, str] = {}
    if starts_on < case.raised_on:
        errors["starts_on"] = "It cannot start before the concern was raised."
    days = (review_by - starts_on).days
    limit = measure_limit_days(case, kind, starts_on)
    if days <= 0:
        errors["review_by"] = "The review must fall after the start."
    elif days > limit:
        errors["review_by"] = (
            f"{MeasureKind(kind).label} can last at most {limit} days before it is reviewed; this is {days}."
        )
    if kind == MeasureKind.FORMAL:
        missing = formal_exclusion_missing(case, starts_on)
        if missing:
            errors["kind"] = missing
    return errors


@transaction.atomic
def measure_add(
    *, actor: Any, case: Case, kind: str, starts_on: dt.date, review_by: dt.date, details: str = ""
) -> Measure:
    """An exclusion period or a restriction, within MHPS's limits (data/mhps.yaml): an immediate exclusion for at
    most 2 weeks; a formal exclusion for at most 4 weeks at a time, with Practitioner Performance Advice consulted
    before it, and again once exclusion passes three periods."""
    require(actor, Perm.MANAGE_CASE, case)
    errors = measure_problems(case=case, kind=kind, starts_on=starts_on, review_by=review_by)
    if errors:
        raise ValidationError(errors)
    return core.create(
        actor=actor,
        obj=Measure(
            trust_id=case.trust_id, case=case, kind=kind, starts_on=starts_on, review_by=review_by, details=details
        ),
    )


def measure_review(*, actor: Any, measure: Measure, reviewed_on: dt.date, outcome: str, today: dt.date) -> Measure:
    """The review alone, recorded as of ``reviewed_on`` (the demo and older records); the case manager's review on
    the pages is ``review_decide``, which records the next period with it."""
    require(actor, Perm.MANAGE_CASE, measure.case)
    if outcome not in REVIEW_OUTCOMES:
        raise ValidationError({"outcome": "Say whether it was renewed, changed or lifted."})
    if reviewed_on > today or reviewed_on < measure.starts_on:
        raise ValidationError({"reviewed_on": "The review falls between the start and today."})
    return core.update(actor=actor, obj=measure, data={"reviewed_on": reviewed_on, "review_outcome": outcome})


# A review's outcomes (``Measure.review_outcome``): continued for another period, replaced by another measure, or
# lifted (it ends on the day of the review).
RENEWED, CHANGED, LIFTED = "renewed", "changed", "lifted"
REVIEW_OUTCOMES = (RENEWED, CHANGED, LIFTED)


def continued_as(measure: Measure) -> str:
    """The kind of the next period when ``measure`` is continued: an immediate exclusion lasts at most its first
    period (MHPS Part II: 2 weeks), so it continues as a formal exclusion; the others continue as they are."""
    return MeasureKind.FORMAL if measure.kind == MeasureKind.IMMEDIATE else measure.kind


def review_problems(
    *, measure: Measure, outcome: str, review_by: dt.date | None, kind: str, today: dt.date
) -> dict[str, str]:
    """What stops the review of ``measure`` on ``today`` with ``outcome`` being recorded, by field (none when it
    can be): a continued or changed measure's next period starts today, within MHPS's limits (``measure_problems``),
    and a formal exclusion needs Practitioner Performance Advice first."""
    if measure.reviewed_on is not None:
        return {"outcome": "This has already been reviewed."}
    if outcome not in REVIEW_OUTCOMES:
        return {"outcome": "Choose whether to continue it, change it or lift it."}
    if today < measure.starts_on:
        return {"outcome": "It has not started yet: review it once it has."}
    if outcome == LIFTED:
        return {}
    errors: dict[str, str] = {}
    next_kind = continued_as(measure) if outcome == RENEWED else kind
    if next_kind not in MeasureKind.values:
        errors["kind"] = "Choose what is recorded in its place."
    if review_by is None:
        errors["review_by"] = "Give the date of the next review."
    if errors:
        return errors
    assert review_by is not None
    for field, message in measure_problems(
        case=measure.case, kind=next_kind, starts_on=today, review_by=review_by
    ).items():
        errors["outcome" if field == "kind" and outcome == RENEWED else field] = message
    return errors


@transaction.atomic
def review_decide(
    *,
    actor: Any,
    measure: Measure,
    outcome: str,
    today: dt.date,
    review_by: dt.date | None = None,
    kind: str = "",
    details: str = "",
) -> tuple[Measure, Measure | None]:
    """The case manager's review of an exclusion or restriction, on ``today``: lift it, continue it for another
    period or change it to another measure. The review and the next period (from today, to be reviewed by
    ``review_by``) are recorded together; returns the reviewed measure and the next one (none when lifted)."""
    require(actor, Perm.MANAGE_CASE, measure.case)
    errors = review_problems(measure=measure, outcome=outcome, review_by=review_by, kind=kind, today=today)
    if errors:
        raise ValidationError(errors)
    reviewed = core.update(actor=actor, obj=measure, data={"reviewed_on": today, "review_outcome": outcome})
    if outcome == LIFTED:
        return reviewed, None
    assert review_by is not None
    next_kind = continued_as(measure) if outcome == RENEWED else kind
    following = core.create(
        actor=actor,
        obj=Measure(
            trust_id=measure.trust_id,
            case=measure.case,
            kind=next_kind,
            starts_on=today,
            review_by=review_by,
            details=(details.strip() if outcome == CHANGED else measure.details),
        ),
    )
    return reviewed, following


def decision_problems(
    *, case: Case, decision: str, reasons: str, decided_on: dt.date, today: dt.date
) -> dict[str, str]:
    """What stops the case manager's decision being recorded, by field: none when it can be."""
    errors: dict[str, str] = {}
    if decision not in {d["code"] for d in rules()["decisions"]}:
        errors["decision"] = "Choose a decision."
    if not reasons.strip():
        errors["decision_reasons"] = "Give the reasons for the decision."
    if not case.raised_on <= decided_on <= today:
        errors["decided_on"] = "The decision falls between the concern being raised and today."
    return errors


def decide(*, actor: Any, case: Case, decision: str, reasons: str, decided_on: dt.date, today: dt.date) -> Case:
    require(actor, Perm.MANAGE_CASE, case)
    errors = decision_problems(case=case, decision=decision, reasons=reasons, decided_on=decided_on, today=today)
    if errors:
        raise ValidationError(errors)
    return core.update(
        actor=actor,
        obj=case,
        data={"decision": decision, "decision_reasons": reasons.strip(), "decided_on": decided_on},
    )


def close_missing(case: Case) -> list[tuple[str, str, Measure | None, bool]]:
    """What closing ``case`` needs, each (what, the case page's part where it is done, the measure to review or none,
    done): the decision on the case, every exclusion and restriction reviewed or lifted, and, once an investigation
    has started, its outcome. The case page, the check page and ``close`` all ask this."""
    inv = getattr(case, "investigation", None)
    items: list[tuple[str, str, Measure | None, bool]] = [
        ("Record the decision on the case", "decision", None, bool(case.decision))
    ]
    if inv is not None:
        items.append(("Record the investigation's outcome", "investigation-update", None, bool(inv.outcome)))
    unreviewed = list(case.measures.filter(reviewed_on__isnull=True))
    items += [
        (f"Review the {m.get_kind_display().lower()} from {m.starts_on:%-d %B %Y}", "", m, False) for m in unreviewed
    ]
    if not unreviewed:
        items.append(("Review or lift every exclusion and restriction", "", None, True))
    return items


def close(*, actor: Any, case: Case, closed_on: dt.date, today: dt.date) -> Case:
    require(actor, Perm.MANAGE_CASE, case)
    if not case.decision:
        raise ValidationError("Record the decision before closing the case.")
    if case.measures.filter(reviewed_on__isnull=True).exists():
        raise ValidationError("Review or lift every exclusion and restriction before closing the case.")
    inv = getattr(case, "investigation", None)
    if inv is not None and not inv.outcome:
        raise ValidationError("Record the investigation's outcome before closing the case.")
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


INVESTIGATION_FIELDS = (
    "report",
    "report_received_on",
    "report_to_doctor_on",
    "doctor_comments",
    "outcome",
    "outcome_on",
    "appeal",
)


def _investigation_data(data: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in data.items() if k in INVESTIGATION_FIELDS and v not in (None, "")}


def investigation_counts(case: Case, data: dict[str, Any]) -> bool:
    """Whether an update records the investigation's report or its outcome, decisions that are checked and
    confirmed (issue 31), rather than a progress note (the doctor's comments, an appeal, a date) saved at once."""
    inv = getattr(case, "investigation", None)
    given = _investigation_data(data)
    return inv is not None and any(
        f in given and str(given[f]).strip() != str(getattr(inv, f) or "").strip() for f in ("report", "outcome")
    )


def outcome_missing(case: Case) -> str:
    """Why the investigation's outcome cannot be recorded yet ("" when it can): its report comes first."""
    inv = getattr(case, "investigation", None)
    if inv is None:
        return "Start the investigation."
    return "" if inv.report else "Record the investigation's report."


def investigation_problems(*, case: Case, data: dict[str, Any], today: dt.date) -> dict[str, str]:
    """What stops an update of the investigation being recorded, by field (none when it can be). The check page
    and ``investigation_update`` both ask this."""
    inv = getattr(case, "investigation", None)
    if inv is None:
        return {"report": "Start the investigation first."}
    data = _investigation_data(data)
    errors: dict[str, str] = {}
    for field in ("report_received_on", "report_to_doctor_on", "outcome_on"):
        day = data.get(field)
        if day is not None and not inv.started_on <= day <= today:
            errors[field] = "The date falls between the start of the investigation and today."
    received = data.get("report_received_on", inv.report_received_on)
    to_doctor = data.get("report_to_doctor_on")
    if to_doctor is not None and (received is None or to_doctor < received):
        errors["report_to_doctor_on"] = (
            "The doctor receives the report once the case manager has it: record that first."
        )
    if data.get("outcome") and not (data.get("report") or inv.report):
        errors["outcome"] = "Record the investigation's report before its outcome."
    return errors


def investigation_update(*, actor: Any, case: Case, data: dict[str, Any], today: dt.date) -> Investigation:
    """Record the report, the doctor's comments, the outcome or an appeal."""
    require(actor, Perm.MANAGE_CASE, case)
    errors = investigation_problems(case=case, data=data, today=today)
    if errors:
        raise ValidationError(errors)
    return core.update(actor=actor, obj=case.investigation, data=_investigation_data(data))


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
