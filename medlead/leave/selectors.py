"""Reading leave: the terms as the trust applies them, a doctor's entitlement and requests, the requests waiting for
a coordinator, and a request's effect on its rota (cover by day, and the rota's rule check with the leave applied,
by the one rota engine)."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet, Sum
from django.utils import timezone

from medlead.core.policy import Perm, can, person_id
from medlead.leave import cover
from medlead.leave.entitlement import Entitlement, Terms, entitlement, leave_days, leave_year
from medlead.leave.models import ANNUAL_KINDS, STANDING, TO_DECIDE, LeaveKind, LeaveRecord, LeaveRequest, LeaveStatus
from medlead.organisation.models import Person, Trust
from medlead.rota import engine
from medlead.rota import selectors as rota_selectors
from medlead.rota.models import RosterPlan, Rota, RotaMember
from medlead.rulebook.selectors import values_for, values_on

HOLIDAYS = "public_holidays.yaml"

FILE = "leave.yaml"
KEYS = (
    "annual_leave.first_appointment_days",
    "annual_leave.after_service_days",
    "annual_leave.service_years",
    "notice_weeks",
    "study_leave_days",
    "carry_over_max_days",
    "pro_rata_step_days",
    "leave_year.from_appointment",
    "leave_year.starts",
)


@dataclasses.dataclass(frozen=True)
class TrustTerms:
    terms: Terms
    awaiting: list[str]  # the values neither verified nor confirmed by the trust, as a page names them


def terms(trust: Trust, day: dt.date) -> TrustTerms:
    """The leave terms as ``trust`` applies them on ``day`` (its confirmations, else the national values; one
    query)."""
    found = values_for(trust, FILE, KEYS, day)
    v = {k: found[k].value for k in KEYS}
    starts = v["leave_year.starts"]
    return TrustTerms(
        Terms(
            first_appointment_days=Decimal(str(v["annual_leave.first_appointment_days"])),
            after_service_days=Decimal(str(v["annual_leave.after_service_days"])),
            service_years=int(v["annual_leave.service_years"]),
            notice_weeks=int(v["notice_weeks"]),
            study_leave_days=Decimal(str(v["study_leave_days"])),
            carry_over_max_days=Decimal(str(v["carry_over_max_days"])),
            pro_rata_step=Decimal(str(v["pro_rata_step_days"])),
            from_appointment=bool(v["leave_year.from_appointment"]),
            year_starts=(int(starts[0]), int(starts[1])),
        ),
        [found[k].national.label for k in KEYS if found[k].awaiting],
    )


def bank_holidays(trust: Trust | int, first: dt.date, last: dt.date) -> set[dt.date]:
    """England's bank holidays in the calendar years from ``first`` to ``last``, each year as the trust applies
    it on its first day (``data/public_holidays.yaml``, through the rulebook, as job plans read them; one query)."""
    years = range(first.year, last.year + 1)
    found = values_on(trust, [(HOLIDAYS, f"england.{y}", dt.date(y, 1, 1)) for y in years])
    return {day for value in found.values() for day in value.value}


def days_of(trust: Trust | int, first: dt.date, last: dt.date) -> int:
    return leave_days(first, last, bank_holidays(trust, first, last))


def for_doctor(person: Person) -> list[LeaveRequest]:
    """The doctor's own requests, latest first (My rota shows them: ``leave/_mine.jinja``)."""
    return list(
        LeaveRequest.objects.filter(person=person, trust_id=person.trust_id)
        .select_related("rota")
        .order_by("-first_day", "-pk")
    )


def rotas_of(person: Person) -> QuerySet[Rota]:
    return Rota.objects.filter(trust_id=person.trust_id, members__person=person).order_by("name")


@dataclasses.dataclass(frozen=True)
class Allowance:
    """What a doctor's leave page and a coordinator's decision show: the entitlement, or what is missing for it."""

    person: Person
    terms: TrustTerms
    record: LeaveRecord | None
    entitlement: Entitlement | None
    missing: list[str]
    study_days: Decimal
    study_taken: Decimal
    year: tuple[dt.date, dt.date] | None


def allowance(person: Person, on: dt.date) -> Allowance:
    """The doctor's annual and study leave in the leave year ``on`` falls in (a fixed number of queries)."""
    trust_terms = terms(person.trust, on)
    record = LeaveRecord.objects.filter(person=person).first()
    appointed = record.appointed_on if record else None
    service = record.nhs_service_from if record else None
    missing = []
    if service is None:
        missing.append("the start of their NHS service")
    year = leave_year(on, terms=trust_terms.terms, appointed_on=appointed)
    if year is None:
        missing.append("their start with this trust (the leave year runs from it)")
    fraction = Decimal(person.ltft_fraction or 1)
    study = (trust_terms.terms.study_leave_days * fraction).quantize(Decimal("0.1"))
    if year is None:
        return Allowance(person, trust_terms, record, None, missing, study, Decimal(0), None)
    counted = _counted(person, year)
    found = None
    if service is not None:
        carried = record.carried_over if record and record.carried_into == year[0] else Decimal(0)
        found = entitlement(
            terms=trust_terms.terms,
            year=year,
            service_from=service,
            fraction=fraction,
            holidays=bank_holidays(person.trust_id, year[0], year[1]),
            carried_over=carried,
            taken=counted["annual_taken"],
            waiting=counted["annual_waiting"],
        )
    return Allowance(person, trust_terms, record, found, missing, study, counted["study_taken"], year)


def _counted(person: Person, year: tuple[dt.date, dt.date]) -> dict[str, Decimal]:
    rows = (
        LeaveRequest.objects.filter(person=person, status__in=STANDING, first_day__gte=year[0], first_day__lte=year[1])
        .values("kind", "status")
        .annotate(n=Sum("days"))
    )
    out = {"annual_taken": Decimal(0), "annual_waiting": Decimal(0), "study_taken": Decimal(0)}
    for row in rows:
        n = Decimal(row["n"] or 0)
        if row["kind"] in ANNUAL_KINDS:
            out["annual_waiting" if row["status"] == LeaveStatus.WAITING else "annual_taken"] += n
        elif row["kind"] == LeaveKind.STUDY and row["status"] != LeaveStatus.WAITING:
            out["study_taken"] += n
    return out


def to_decide(actor: Any, trust: Trust) -> list[LeaveRequest]:
    """The requests (and cancellations) waiting for ``actor``'s decision, oldest first: those on rotas they
    coordinate, never their own."""
    pid = person_id(actor)
    qs = LeaveRequest.objects.filter(trust=trust, status__in=TO_DECIDE)
    if pid is not None:
        qs = qs.exclude(person_id=pid)
    qs = qs.select_related("person", "rota__trust", "trust").order_by("created_at", "pk")
    return [r for r in qs if can(actor, Perm.DECIDE_LEAVE, r)]


# ----------------------------------------------------------------------------------- the effect on the rota


def _local(moment: dt.datetime) -> dt.datetime:
    return timezone.localtime(moment).replace(tzinfo=None)


@dataclasses.dataclass(frozen=True)
class CoverLine:
    row: cover.CoverRow
    shift: str  # the plan's name for the shift, where it has one


def cover_effect(request: LeaveRequest) -> list[CoverLine]:
    """The doctor's duties on the rota in the days asked for, each with the others on the same shift and, where
    the rota's plan says, how many the shift needs that day (two queries)."""
    duties = rota_selectors.rota_duties(rota=request.rota)
    plan = RosterPlan.objects.filter(rota=request.rota).first()
    shapes: dict[tuple[str, int], dict[str, Any]] = {}
    if plan is not None:
        for s in plan.shifts:
            shapes[(str(s["start"])[:5], round(float(s["hours"]) * 60))] = s

    def shape(d: cover.Shift) -> dict[str, Any] | None:
        if plan is None:
            return None
        day = d.start.date()
        if not plan.starts_on <= day < plan.starts_on + dt.timedelta(weeks=plan.weeks):
            return None
        return shapes.get((f"{d.start:%H:%M}", round((d.end - d.start).total_seconds() / 60)))

    def needed(d: cover.Shift) -> int | None:
        s = shape(d)
        return int(s["needed"][d.start.weekday()]) if s else None

    shifts = [cover.Shift(d.doctor, d.start, d.end, d.kind) for d in duties]
    rows = cover.effect(
        shifts, doctor=str(request.person_id), first=request.first_day, last=request.last_day, needed=needed
    )
    lines = []
    for row in rows:
        s = shape(cover.Shift(str(request.person_id), row.start, row.end, row.kind))
        lines.append(CoverLine(row, str(s["name"]) if s else ""))
    return lines


@dataclasses.dataclass(frozen=True)
class RuleCheck:
    """The rota's rule check as it stands and with the leave applied (the doctor's duties in those days removed)."""

    rules: str
    breaches_now: int
    breaches_with_leave: int
    new: list[tuple[str, str]]  # (doctor, message) of each breach the leave would bring
    resolved: int
    average_now: float
    average_with_leave: float
    duties_removed: int


def without_leave(duties: list[engine.Duty], doctor: str, first: dt.date, last: dt.date) -> list[engine.Duty]:
    return [d for d in duties if not (d.doctor == doctor and first <= d.start.date() <= last)]


def rule_check(request: LeaveRequest) -> RuleCheck:
    """Run the rota engine over the rota twice: as it stands, and without the doctor's duties in the days of the
    leave (what approving it does)."""
    rota = request.rota
    duties = rota_selectors.rota_duties(rota=rota)
    doctor = str(request.person_id)
    applied = without_leave(duties, doctor, request.first_day, request.last_day)
    rules = rota_selectors.rota_rules(rota=rota)
    before = engine.check(engine.Rota.from_duties(duties), rules) if duties else None
    after = engine.check(engine.Rota.from_duties(applied), rules) if applied else None

    def keyed(report: engine.Report | None) -> dict[tuple[str, str, dt.datetime], engine.Breach]:
        return {(b.doctor, b.rule, b.start): b for b in (report.breaches if report else [])}

    was, now = keyed(before), keyed(after)
    people = {
        str(m.person_id): m.person.display_name for m in RotaMember.objects.filter(rota=rota).select_related("person")
    }
    new = [(people.get(b.doctor, "A doctor"), b.message) for k, b in now.items() if k not in was]
    avg_before = engine.weekly_averages(engine.Rota.from_duties(duties)) if duties else {}
    avg_after = engine.weekly_averages(engine.Rota.from_duties(applied)) if applied else {}
    return RuleCheck(
        rules=rules.name,
        breaches_now=len(was),
        breaches_with_leave=len(now),
        new=new,
        resolved=sum(1 for k in was if k not in now),
        average_now=round(avg_before.get(doctor, 0.0), 1),
        average_with_leave=round(avg_after.get(doctor, 0.0), 1),
        duties_removed=len(duties) - len(applied),
    )


def duties_in_leave(request: LeaveRequest) -> QuerySet[Any]:
    """The doctor's duties on the request's rota that start on a day of the leave: what approving it removes."""
    tz = timezone.get_current_timezone()
    first = timezone.make_aware(dt.datetime.combine(request.first_day, dt.time()), tz)
    after = timezone.make_aware(dt.datetime.combine(request.last_day + dt.timedelta(days=1), dt.time()), tz)
    return request.rota.duties.filter(person_id=request.person_id, start__gte=first, start__lt=after)


def approved_leave(rota: Rota, first: dt.date, last: dt.date) -> list[tuple[int, dt.date, dt.date]]:
    """(person id, first day, last day) of every approved leave of the rota's doctors that touches ``first`` to
    ``last``: the fixed absences a generated rota keeps (``rota.hooks.APPROVED_LEAVE``)."""
    return list(
        LeaveRequest.objects.filter(
            trust_id=rota.trust_id,
            person__rota_memberships__rota=rota,
            status__in=(LeaveStatus.APPROVED, LeaveStatus.CANCEL_ASKED),
            first_day__lte=last,
            last_day__gte=first,
        )
        .values_list("person_id", "first_day", "last_day")
        .distinct()
    )
