"""Writes for fit and proper person records. Each checks the policy, validates, saves nothing on failure and is
audited without copying evidence; reads go through ``read`` (audited) in the pages."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.dates import today
from medlead.core.policy import Perm, require
from medlead.core.reference_data import as_people_read, cited, in_force, read
from medlead.fitproper.models import AnnualReturn, Assessment, Check, Kind, LeaverReference, Outcome
from medlead.organisation.models import BoardMember, Trust
from medlead.rulebook.selectors import value_for, values_for


@cache
def rules() -> dict[str, Any]:
    return read("fppt.yaml")


def checks_for(kind: str, on: dt.date | None = None, trust: Trust | None = None) -> list[dict[str, Any]]:
    """The checks an assessment of this kind needs on ``on`` (today unless given), from data/fppt.yaml; each with
    its ``source`` as the assessment page shows it. With ``trust``, when each check falls (at appointment, each
    year) is the trust's confirmed value where it has one (``rulebook``), and ``awaiting`` says where it is still
    the national default the trust has not confirmed; without, the national value and its "to be confirmed by the
    trust" where no primary source confirms it."""
    day = on or today()
    checks = in_force(rules()["checks"], day)
    if trust is None:
        return [c | {"source": as_people_read(c)} for c in checks if kind in c["at"]]
    timings = values_for(trust, "fppt.yaml", [f"checks.{c['code']}.at" for c in checks], day)
    found = []
    for c in checks:
        at = timings[f"checks.{c['code']}.at"]
        if kind in at.value:
            found.append(c | {"at": at.value, "source": cited(c), "awaiting": at.awaiting})
    return found


def anniversary(member: BoardMember, year: int) -> dt.date:
    start = member.start or dt.date(year, 4, 1)
    try:
        return start.replace(year=year)
    except ValueError:  # 29 February
        return dt.date(year, 2, 28)


@transaction.atomic
def assessment_open(*, actor: Any, member: BoardMember, kind: str, year: int, due_on: dt.date) -> Assessment:
    require(actor, Perm.MANAGE_FPPT, member)
    if Assessment.objects.filter(member=member, kind=kind, year=year).exists():
        raise ValidationError(f"There is already an assessment of this kind for {year}.")
    return core.create(
        actor=actor,
        obj=Assessment(trust_id=member.trust_id, member=member, kind=kind, year=year, due_on=due_on),
    )


@transaction.atomic
def check_record(
    *, actor: Any, assessment: Assessment, code: str, done_on: dt.date, outcome: str, evidence: str, today: dt.date
) -> Check:
    """Record (or correct, while the assessment is open) one check: its date, outcome and evidence, and who checked."""
    assessment = Assessment.objects.select_for_update().select_related("member").get(pk=assessment.pk)
    require(actor, Perm.MANAGE_FPPT, assessment)
    if assessment.outcome != Outcome.PENDING:
        raise ValidationError("This assessment is signed off: its checks can no longer change.")
    if code not in {c["code"] for c in checks_for(assessment.kind, trust=assessment.trust)}:
        raise ValidationError({"code": "This check is not part of this kind of assessment."})
    if done_on > today:
        raise ValidationError({"done_on": "A check cannot be dated in the future."})
    checker = getattr(actor, "person", None)
    if checker is None:
        raise ValidationError("Only a person on the trust's records can record a check.")
    existing = Check.objects.filter(assessment=assessment, code=code).first()
    data = {"done_on": done_on, "outcome": outcome, "evidence": evidence.strip(), "checked_by": checker}
    if existing is None:
        return core.create(
            actor=actor, obj=Check(trust_id=assessment.trust_id, assessment=assessment, code=code, **data)
        )
    return core.update(actor=actor, obj=existing, data=data)


@transaction.atomic
def attest(*, actor: Any, assessment: Assessment, note: str, today: dt.date) -> Assessment:
    """The board member's own self-attestation against the character, health and misconduct tests."""
    assessment = Assessment.objects.select_for_update().select_related("member").get(pk=assessment.pk)
    require(actor, Perm.ATTEST_FPPT, assessment)
    return core.update(actor=actor, obj=assessment, data={"attested_on": today, "attestation_note": note.strip()})


def missing(assessment: Assessment) -> list[str]:
    """The checks of this assessment not yet recorded, by name."""
    done = set(assessment.checks.values_list("code", flat=True))
    return [
        c["name"]
        for c in checks_for(assessment.kind, trust=assessment.trust)
        if c["code"] not in done and c["code"] != "self_attestation"
    ]


def sign_off_missing(assessment: Assessment) -> list[str]:
    """What must be done before the assessment can be signed off, in the order the page lists it: each check not yet
    recorded, then the member's self-attestation."""
    gaps = missing(assessment)
    if assessment.attested_on is None:
        gaps.append("The board member's self-attestation")
    return gaps


def sign_off_check(*, assessment: Assessment, outcome: str, note: str) -> None:
    """Whether the chair's decision can be taken as given: ``ValidationError`` with the reason when it cannot (the
    check-your-answers page and the sign-off itself ask the same)."""
    if assessment.outcome != Outcome.PENDING:
        raise ValidationError("This assessment is already signed off.")
    if outcome not in (Outcome.FIT, Outcome.NOT_FIT):
        raise ValidationError({"outcome": "Choose fit and proper, or not fit and proper."})
    gaps = sign_off_missing(assessment)
    if gaps:
        raise ValidationError(f"The assessment cannot be signed off yet. Still to do: {'; '.join(gaps)}.")
    if outcome == Outcome.FIT:
        if assessment.checks.filter(outcome="concern").exists() and not note.strip():
            raise ValidationError({"note": "A check found a concern: say why the member is still fit and proper."})
    elif not note.strip():
        raise ValidationError({"note": "Give the reasons for the decision."})


@transaction.atomic
def sign_off(*, actor: Any, assessment: Assessment, outcome: str, note: str, today: dt.date) -> Assessment:
    """The chair's decision (the senior independent director's, for the chair), taken only when every check is
    recorded and the member has attested; not fit and proper needs the reasons."""
    assessment = Assessment.objects.select_for_update().select_related("member").get(pk=assessment.pk)
    require(actor, Perm.SIGN_OFF_FPPT, assessment)
    sign_off_check(assessment=assessment, outcome=outcome, note=note)
    return core.update(
        actor=actor,
        obj=assessment,
        data={"outcome": outcome, "decided_on": today, "decided_by": actor.person, "decision_note": note.strip()},
    )


def return_rows(*, trust: Trust, year: int) -> list[dict[str, Any]]:
    """Each current board member's outcome for the year, as the return and ESR carry it."""
    members = BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person")
    latest = {
        a.member_id: a
        for a in Assessment.objects.filter(trust=trust, member__in=members, year=year)
        .select_related("decided_by")
        .order_by("kind")  # "annual" before "appointment": an appointment in the year replaces the annual
    }
    rows = []
    for m in members:
        a = latest.get(m.pk)
        rows.append(
            {
                "staff_number": m.person.staff_number,
                "name": m.person.display_name,
                "role": m.get_role_display(),
                "interim": m.interim,
                "assessment": a.get_kind_display() if a else "",
                "outcome": a.get_outcome_display() if a else "No assessment",
                "decided_on": a.decided_on.isoformat() if a and a.decided_on else "",
                "decided_by": a.decided_by.display_name if a and a.decided_by else "",
            }
        )
    return rows


def return_missing(*, trust: Trust, year: int) -> list[tuple[str, int | None]]:
    """Why the year's return cannot be signed off yet (empty when it can): each current member whose assessment for
    the year is not decided, with that assessment's id (``None`` where there is no assessment to decide)."""
    members = BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person")
    found: dict[int, list[Assessment]] = {}
    for a in Assessment.objects.filter(trust=trust, member__in=members, year=year).order_by("kind"):
        found.setdefault(a.member_id, []).append(a)
    gaps: list[tuple[str, int | None]] = []
    for m in members:
        mine = found.get(m.pk, [])
        latest = mine[-1] if mine else None  # as return_rows reads it: an appointment in the year replaces the annual
        if latest is None:
            gaps.append((f"{m.person.display_name}: no assessment for {year} yet", None))
        elif latest.outcome == Outcome.PENDING:
            gaps.append((f"{m.person.display_name}: {latest.get_kind_display().lower()} not yet decided", latest.pk))
    return gaps


@transaction.atomic
def return_submit(*, actor: Any, trust: Trust, year: int, today: dt.date) -> AnnualReturn:
    """The chair's annual return: every current member's assessment for the year decided, then frozen."""
    require(actor, Perm.SUBMIT_FPPT_RETURN, trust)
    if AnnualReturn.objects.filter(trust=trust, year=year).exists():
        raise ValidationError(f"The return for {year} has been submitted.")
    rows = return_rows(trust=trust, year=year)
    undecided = [r["name"] for r in rows if r["outcome"] in ("No assessment", Outcome.PENDING.label)]
    if undecided:
        raise ValidationError(f"Decide every member's assessment for {year} first: {', '.join(undecided)}.")
    return core.create(
        actor=actor,
        obj=AnnualReturn(trust=trust, year=year, submitted_on=today, submitted_by=actor.person, rows=rows),
    )


@transaction.atomic
def leaver_reference(
    *, actor: Any, member: BoardMember, content: str, completed_on: dt.date, born_on: dt.date | None = None
) -> LeaverReference:
    require(actor, Perm.MANAGE_FPPT, member)
    if member.end is None:
        raise ValidationError("Record the member's last day on the board first: a reference is for a leaver.")
    keep = None
    if born_on is not None:
        # the age as the trust applies it on the day the reference is completed (the framework's own value before
        # the framework: a reference written before 30 September 2023 is kept as long)
        try:
            age = int(value_for(member.trust, "fppt.yaml", "leaver_reference_until_age", completed_on).value)
        except LookupError:
            age = int(rules()["leaver_reference_until_age"])
        keep = (
            born_on.replace(year=born_on.year + age)
            if not (born_on.month == 2 and born_on.day == 29)
            else (dt.date(born_on.year + age, 3, 1))
        )
    return core.create(
        actor=actor,
        obj=LeaverReference(
            trust_id=member.trust_id,
            member=member,
            completed_on=completed_on,
            completed_by=actor.person,
            content=content.strip(),
            keep_until=keep,
        ),
    )


def cycle(*, trust: Trust, today: dt.date) -> int:
    """Open each current member's assessments as they fall due (at appointment; each year from the reminder window
    before the anniversary of their start) and tell the member by email; the chair and the company secretary see them
    on their first page. Run daily by the scheduler; idempotent. Returns how many were opened."""
    window = dt.timedelta(days=int(value_for(trust, "fppt.yaml", "reminder_days", today).value))
    opened = 0
    for m in BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person"):
        wanted = []
        if not Assessment.objects.filter(member=m, kind=Kind.APPOINTMENT).exists():
            wanted.append((Kind.APPOINTMENT, (m.start or today).year, m.start or today))
        due = anniversary(m, today.year)
        if due < today - window:
            due = anniversary(m, today.year + 1)
        if m.start and due.year > m.start.year and due - today <= window:
            wanted.append((Kind.ANNUAL, due.year, due))
        for kind, year, due_on in wanted:
            if Assessment.objects.filter(member=m, kind=kind, year=year).exists():
                continue
            with transaction.atomic():
                core.create(
                    actor=SystemActor("fit and proper cycle"),
                    obj=Assessment(trust_id=trust.pk, member=m, kind=kind, year=year, due_on=due_on),
                )
            notify.email_people(
                [m.person],
                subject="Your fit and proper person assessment",
                body=f"Your {Kind(kind).label.lower()} is due by {due_on:%d %B %Y}. Sign in to medlead to make "
                "your self-attestation.",
            )
            opened += 1
    return opened
