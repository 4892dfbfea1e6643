"""Reads for rotas, exception reports and the guardian's quarterly report."""

from __future__ import annotations

import datetime as dt
import statistics
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Window
from django.utils import timezone

from medlead.core import dates, heartbeat
from medlead.core.reference_data import in_force, read
from medlead.organisation.models import Trust
from medlead.rota import engine, placed
from medlead.rota.engine import fines, timeutil
from medlead.rota.models import (
    Duty,
    DutyKind,
    ExceptionReport,
    GuardianQuarter,
    Outcome,
    ReportKind,
    RosterPlan,
    Rota,
    RotaBreach,
    RotaMember,
)
from medlead.rota.permissions import exception_reports_filter
from medlead.rulebook import catalogue
from medlead.rulebook.selectors import Value, unconfirmed, unconfirmed_over, values_for, values_on
from medlead.rulebook.unconfirmed import NOTHING, Unconfirmed


def _versions() -> list[dict[str, Any]]:
    return sorted(read("exception_reporting.yaml")["versions"], key=lambda v: v["applies_from"])


def rules_for(day: dt.date, *, adopted_early: dt.date | None = None) -> dict[str, Any]:
    """The exception-reporting rules in force on ``day`` (data/exception_reporting.yaml): version 12 of the 2016
    terms and conditions before 4 February 2026, version 13 from then, or from ``adopted_early`` for a trust that
    adopted version 13 early."""
    versions = _versions()
    for version in versions:
        early = version.get("early_adoption_from")
        starts = version["applies_from"]
        if adopted_early and early and early <= adopted_early < starts:
            # an early adopter: the version starts, and the one before it ends, on the trust's date of adoption
            for before in versions:
                if before.get("applies_until") == starts:
                    before["applies_until"] = adopted_early
            version["applies_from"] = adopted_early
    found = in_force(versions, day)
    # a day before the first version (not a date a report can have) is judged by the first
    return found[-1] if found else versions[0]


EXCEPTION_REPORTING = "exception_reporting.yaml"


def exception_rules(trust: Trust, day: dt.date) -> dict[str, Any]:
    """The exception-reporting rules by which a report of ``trust`` about an event on ``day`` is judged: the version
    in force (``rules_for``, the trust's early adoption included) with its routes and deadline as the trust has
    confirmed them, else the national ones (one query). An early adopter's report from before the version's national
    date is judged by the trust's confirmation in force on that national date."""
    rules = rules_for(day, adopted_early=trust.exception_reporting_v13_from)
    code = rules["code"]
    on = max(day, rules_version(code)["applies_from"])
    keys = {f"versions.{code}.submit_within_days": ("submit_within_days",)} | {
        f"versions.{code}.routes.{kind}": ("routes", kind) for kind in rules.get("routes") or {}
    }
    found = values_on(trust, [(EXCEPTION_REPORTING, key, on) for key in keys])
    out = {**rules, "routes": dict(rules.get("routes") or {})}
    for key, where in keys.items():
        if (EXCEPTION_REPORTING, key) in found:
            if len(where) == 1:
                out[where[0]] = found[(EXCEPTION_REPORTING, key)].value
            else:
                out["routes"][where[1]] = found[(EXCEPTION_REPORTING, key)].value
    return out


def rules_version(code: str) -> dict[str, Any]:
    """The rules of one version by its code (a report keeps the version it was judged by)."""
    return next(v for v in _versions() if v["code"] == code)


def fine_keys(day: dt.date) -> tuple[str, ...]:
    """The keys of the penalty rate and its split in force on ``day``: those of the version of the terms in force
    (``calculation.v12.penalty_multiplier`` before 4 February 2026, ``calculation.v13...`` from then)."""
    code = fines.calculation_on(day)["code"]
    return tuple(f"calculation.{code}.{name}" for name in fines.MULTIPLIERS)


def fine_values(trust: Trust, day: dt.date) -> dict[str, Value]:
    """The penalty rate and its split for a breach of ``trust`` on ``day``: the trust's confirmation in force that
    day of the figures of the version of the terms in force that day, else the national default
    (data/guardian_fines.yaml)."""
    return values_for(trust, fines.FILE, fine_keys(day), day)


def fine_rates(trust: Trust, day: dt.date) -> fines.Rates:
    """The rates a fine for a breach of ``trust`` on ``day`` is computed at. ``ValidationError`` where the trust's
    confirmed shares do not add up to its penalty rate (nothing is computed from rates that disagree)."""
    found = fine_values(trust, day)
    try:
        return fines.Rates.from_data({key.rsplit(".", 1)[1]: value.value for key, value in found.items()})
    except ValueError:
        raise ValidationError(
            "Your trust's confirmed rates do not add up: the doctor's and the guardian's shares must add up to the "
            "penalty rate. Correct them on the rules and values in force page."
        ) from None


BREAKS_KEYS = tuple(
    f"categories.{fines.MISSED_BREAKS}.{name}" for name in ("missed_share_above", "reference_period_weeks")
)


def breaks_rule(trust: Trust, day: dt.date) -> fines.BreaksRule | None:
    """The missed-breaks rule by which ``trust`` judges a reference period ending on ``day`` (its confirmed figures,
    else the national default); None before the 2019 amendments added the fine."""
    if fines.breaks_rule_on(day) is None:
        return None
    found = values_for(trust, fines.FILE, BREAKS_KEYS, day)
    try:
        return fines.BreaksRule.from_data({key.rsplit(".", 1)[1]: value.value for key, value in found.items()})
    except ValueError:
        raise ValidationError(
            "Your trust's confirmed missed-breaks rule cannot be applied: the share must be from 0 to less than 1 "
            "and the period at least a week. Correct it on the rules and values in force page."
        ) from None


def missed_breaks_fine_due(trust: Trust, day: dt.date, *, occasions: int, missed: int) -> bool:
    """Whether breaks missed on ``missed`` of ``occasions`` in a reference period ending on ``day`` attract the
    guardian's fine for ``trust`` (never before the 2019 amendments)."""
    rule = breaks_rule(trust, day)
    return rule is not None and fines.missed_breaks_fine_due(occasions, missed, rule)


def fine_unconfirmed(trust: Trust, day: dt.date) -> Unconfirmed:
    """ "This rate is the national default; your trust has not confirmed it yet." where the penalty rate or its split
    of a fine on ``day`` awaits the trust's confirmation, else nothing (nothing either on a day no fine applies to:
    the rate file starts with the fines)."""
    if not fine_categories(on=day):
        return NOTHING
    return unconfirmed("rate", fine_values(trust, day).values())


def fine_bases() -> dict[str, str]:
    """Each fine category and how it is set: from the hours of the breach, or as an amount."""
    return {c["code"]: c.get("basis", "amount") for c in read("guardian_fines.yaml")["categories"]}


def fine_payer(report: ExceptionReport) -> str:
    """Who pays a fine: the department where the breach happened, read as the rota's specialty, else the doctor's."""
    specialty = (report.rota.specialty if report.rota_id and report.rota else None) or report.doctor.specialty
    return f"{specialty.name} department" if specialty else "The trust"


def last_hourly_rate(report: ExceptionReport) -> ExceptionReport | None:
    """The doctor's latest other report whose fine was computed from a basic hourly rate: the rate the guardian last
    gave for them (medlead holds no pay data)."""
    return (
        ExceptionReport.objects.filter(
            trust_id=report.trust_id, doctor_id=report.doctor_id, fine_hourly_rate__isnull=False
        )
        .exclude(pk=report.pk)
        .order_by("-occurred_on", "-pk")
        .only("occurred_on", "fine_hourly_rate")
        .first()
    )


def fine_categories(on: dt.date | None = None) -> dict[str, str]:
    """The breaches that attract a guardian fine (data/guardian_fines.yaml); with ``on``, those in force that day."""
    categories = read("guardian_fines.yaml")["categories"]
    return {c["code"]: c["name"] for c in (categories if on is None else in_force(categories, on))}


def rotas(*, trust: Trust) -> QuerySet[Rota]:
    return (
        Rota.objects.filter(trust=trust)
        .annotate(
            breach_count=Count("breaches", filter=Q(breaches__warning=False), distinct=True),
            member_count=Count("members", distinct=True),
            # a rota with no duties has nothing to check: it says so, not "compliant"
            has_duties=Exists(Duty.objects.filter(rota=OuterRef("pk"))),
        )
        .select_related("specialty")
    )


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def opening_week(first_breach: dt.datetime | None, first_day: dt.date | None) -> dt.date:
    """The week a rota opens on: the week of its first breach if it has any (a rota that says "3 breaches" shows one
    at once), else the week of its first day (``rota_first_day``), else this week."""
    if first_breach is not None:
        return monday_of(timezone.localtime(first_breach).date())
    return monday_of(first_day or dates.today())


def breach_list(*, rota: Rota, limit: int = 200) -> tuple[list[dict[str, Any]], int]:
    """The first ``limit`` breaches of the rota's last check, earliest first, each with the week to open to see it,
    and how many there are in all (one query)."""
    breaches = list(
        RotaBreach.objects.filter(rota=rota, warning=False)
        .select_related("person")
        .annotate(in_all=Window(Count("pk")))
        .order_by("start", "pk")[:limit]
    )
    rows = [{"breach": b, "week": monday_of(timezone.localtime(b.start).date())} for b in breaches]
    return rows, breaches[0].in_all if breaches else 0


def week_grid(
    *,
    rota: Rota,
    week: dt.date,
    rules: engine.RuleSet | None = None,
    members: list[RotaMember] | None = None,
) -> dict[str, Any]:
    """Doctors by day for one week: each cell lists the duties starting that day, each flagged when a breach
    of the last check starts on or ends at it, and the breaks its shift is due by ``rules`` (else those of the rota's
    last check). ``members``: the rota's members with their people, where the caller has read them already."""
    days = [week + dt.timedelta(days=i) for i in range(7)]
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(week, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=7)
    members = rota_members(rota) if members is None else members
    duties = Duty.objects.filter(rota=rota, start__gte=start, start__lt=end).order_by("start")
    breaches = list(
        RotaBreach.objects.filter(rota=rota, warning=False, start__lt=end, end__gt=start - dt.timedelta(days=7))
        .select_related("person")
        .order_by("start", "pk")
    )
    flagged: dict[int, list[RotaBreach]] = defaultdict(list)
    cells: dict[tuple[int, dt.date], list[dict[str, Any]]] = defaultdict(list)
    duty_list = list(duties)
    for b in breaches:
        for d in duty_list:
            if d.person_id == b.person_id and d.start <= b.end and d.end >= b.start:
                flagged[d.pk].append(b)
    rules = rota_rules(rota=rota, rule_set=rota.checked_rules) if rules is None else rules
    for d in duty_list:
        local = timezone.localtime(d.start)
        breaks = (
            engine.shift_breaks(rules, local.replace(tzinfo=None), timezone.localtime(d.end).replace(tzinfo=None))
            if d.kind == DutyKind.SHIFT
            else 0
        )
        cells[(d.person_id, local.date())].append({"duty": d, "breaches": flagged.get(d.pk, []), "breaks": breaks})
    return {
        "days": days,
        "rows": [{"member": m, "cells": [cells.get((m.person_id, day), []) for day in days]} for m in members],
        "breaches": [b for b in breaches if b.start < end and b.end > start],
        "previous": week - dt.timedelta(days=7),
        "next": week + dt.timedelta(days=7),
    }


def rota_members(rota: Rota) -> list[RotaMember]:
    """The rota's doctors with their people, by last name, then first name."""
    return list(
        RotaMember.objects.filter(rota=rota)
        .select_related("person")
        .order_by("person__last_name", "person__first_name", "pk")
    )


def rota_duties(
    *, rota: Rota, moves: Mapping[int, int] | None = None, members: list[RotaMember] | None = None
) -> list[engine.Duty]:
    """The rota's duties as the engine reads them: local wall-clock times, each doctor's opt-out and fraction; with
    ``moves`` (duty id -> person id), each duty in it given to another doctor (a swap's check). ``members``: the
    rota's members with their people, where the caller has read them already."""
    moves = moves or {}
    members = rota_members(rota) if members is None else members
    terms = {m.person_id: (m.opted_out, float(m.person.ltft_fraction)) for m in members}
    rows = [
        (moves.get(pk, pid), start, end, kind)
        for pk, pid, start, end, kind in Duty.objects.filter(rota=rota).values_list(
            "pk", "person_id", "start", "end", "kind"
        )
    ]
    starts = timeutil.wall_clock([start for _, start, _, _ in rows])
    ends = timeutil.wall_clock([end for _, _, end, _ in rows])
    return [
        engine.Duty(str(pid), start, end, kind, *terms.get(pid, (False, 1.0)))
        for (pid, _, _, kind), start, end in zip(rows, starts, ends, strict=True)
    ]


def trust_rules(trust: Trust, rule_set: str, day: dt.date) -> engine.RuleSet:
    """The rule set ``rule_set`` with each value as ``trust`` applies it on ``day``: its confirmation in force, else
    the national value (one query). The engine is pure: it is handed the rules resolved here."""
    national = engine.load(rule_set)
    file = f"{engine.rules.RULES_DIR}/{rule_set}.yaml"
    keys = [v.key for v in catalogue.values(day, (file,))]
    if not keys:  # the set is not in force that day: the trust confirms only values in force
        return national
    found = values_for(trust, file, keys, day)
    return engine.with_values(
        national,
        {k: v.value for k, v in found.items() if v.confirmed},
        settled=[k for k, v in found.items() if not v.awaiting],
        unconfirmed=[k for k, v in found.items() if v.awaiting],
    )


def rota_first_day(rota: Rota) -> dt.date | None:
    first = Duty.objects.filter(rota=rota).order_by("start").values_list("start", flat=True).first()
    return timezone.localtime(first).date() if first else None


def rota_rules(*, rota: Rota, rule_set: str = "") -> engine.RuleSet:
    """The rules that judge ``rota`` (``rule_set``, else those chosen for it, else those in force on its first
    day), each value as the rota's trust applies it on its first day."""
    return rules_from_first_day(rota, rota_first_day(rota), rule_set)


def rules_from_first_day(rota: Rota, first: dt.date | None, rule_set: str = "") -> engine.RuleSet:
    """``rota_rules`` for a rota whose first day (``rota_first_day``) is known."""
    return trust_rules(rota.trust, rule_set or rota.rules_id(first), first or dates.today())


def hours_by_doctor(
    *, rota: Rota, rules: engine.RuleSet | None = None, members: list[RotaMember] | None = None
) -> list[dict[str, Any]]:
    """Each doctor's average weekly hours and their limit (the full-time limit, or pro rata where the rules say) by
    ``rules`` (else those that judge the rota). ``members``: the rota's members with their people, where the caller
    has read them already."""
    members = rota_members(rota) if members is None else members
    duties = rota_duties(rota=rota, members=members)
    averages = engine.weekly_averages(engine.Rota.from_duties(duties))
    rules = rota_rules(rota=rota) if rules is None else rules
    pro_rata = bool(rules.rules["max_avg_weekly_hours"].get("ltft_pro_rata", False))
    out = []
    for member in members:
        pid = member.person_id
        limit_key = "opted_out_limit_hours" if member.opted_out else "limit_hours"
        limit = float(rules.param("max_avg_weekly_hours", limit_key))
        fraction = float(member.person.ltft_fraction)
        out.append(
            {
                "person": member.person,
                "average": round(averages.get(str(pid), 0.0), 1),
                "limit": round(limit * fraction, 1) if pro_rata else limit,
                "fraction": fraction,
            }
        )
    return sorted(out, key=lambda r: r["person"].last_name)


def reports_reaching(*, trust: Trust) -> QuerySet[ExceptionReport]:
    """The reports a trust's pages list: its own, and its placed resident doctors' reports at their hosts whose
    placement names its guardian (``placed.reaching``; issue 34). Who sees which is the policy's filter."""
    return ExceptionReport.objects.filter(placed.reaching(trust))


def exception_reports(*, user: Any, trust: Trust) -> QuerySet[ExceptionReport]:
    """The reports ``user`` may open (``core.policy``): their own, those routed to them, all for the guardian (a
    placed doctor's as their placement says)."""
    qs = reports_reaching(trust=trust).select_related("doctor__specialty", "supervisor", "rota", "trust")
    return qs.filter(exception_reports_filter(user, trust))


def report_reaching(*, trust: Trust, pk: int) -> ExceptionReport | None:
    """One report among those a trust's pages list (``reports_reaching``); the policy decides who may read it."""
    return (
        reports_reaching(trust=trust)
        .filter(pk=pk)
        .select_related("doctor__specialty", "supervisor", "rota__specialty", "trust")
        .first()
    )


def guardian_reports(*, trust: Trust) -> QuerySet[ExceptionReport]:
    """The reports the trust's guardian oversees: the trust's own, but those a placed doctor's placement sends to
    their lead employer's guardian only; and its placed resident doctors' reports at their hosts that name it."""
    return reports_reaching(trust=trust).filter(placed.here(trust))


def quarter_bounds(year: int, quarter: int) -> tuple[dt.date, dt.date]:
    """[start, end) of quarter 1-4 of the NHS financial year that starts on 1 April ``year`` (Q1 April to June,
    Q3 October to December, Q4 January to March of the next calendar year): the quarters a board reads."""
    month = 4 + 3 * (quarter - 1)
    start = dt.date(year + (month > 12), (month - 1) % 12 + 1, 1)
    after = month + 3
    end = dt.date(year + (after > 12), (after - 1) % 12 + 1, 1)
    return start, end


def quarter_of(day: dt.date) -> tuple[int, int]:
    """(financial year, quarter) a day falls in: 30 November 2026 is Q3 of 2026/27."""
    year = day.year if day.month >= 4 else day.year - 1
    return year, (day.month - 4) % 12 // 3 + 1


def quarter_label(year: int, quarter: int) -> str:
    return f"Q{quarter} {year}/{(year + 1) % 100:02d}"


def previous_quarters(year: int, quarter: int, n: int) -> list[tuple[int, int]]:
    out = []
    for _ in range(n):
        out.append((year, quarter))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return list(reversed(out))


def guardian_report(*, trust: Trust, year: int, quarter: int) -> dict[str, Any]:
    """The guardian of safe working hours' quarterly report to the board."""
    start, end = quarter_bounds(year, quarter)
    reports = list(
        guardian_reports(trust=trust)
        .filter(occurred_on__gte=start, occurred_on__lt=end)
        .select_related("doctor__specialty")
    )
    by_specialty = Counter(r.doctor.specialty.name if r.doctor.specialty else "No specialty" for r in reports)
    by_grade = Counter(r.doctor.get_grade_display() or "Not recorded" for r in reports)
    by_kind = Counter(r.get_kind_display() for r in reports)
    by_outcome = Counter(r.get_outcome_display() if r.outcome else "Awaiting outcome" for r in reports)
    fined = [r for r in reports if r.fine_category]
    categories = fine_categories()
    fines_by_category: dict[str, dict[str, Any]] = {}
    by_payer: dict[str, dict[str, Any]] = {}
    for r in fined:
        row = fines_by_category.setdefault(
            categories.get(r.fine_category, r.fine_category), {"count": 0, "total": Decimal("0")}
        )
        row["count"] += 1
        row["total"] += r.fine_amount or Decimal("0")
        payer = by_payer.setdefault(r.fine_payer or "Not recorded", {"count": 0, "total": Decimal("0")})
        payer["count"] += 1
        payer["total"] += r.fine_amount or Decimal("0")
    trend = []
    for y, q in previous_quarters(year, quarter, 4):
        s, e = quarter_bounds(y, q)
        qs = guardian_reports(trust=trust).filter(occurred_on__gte=s, occurred_on__lt=e)
        trend.append(
            {"label": quarter_label(y, q), "reports": qs.count(), "fines": qs.exclude(fine_category="").count()}
        )
    by_route = Counter(r.get_route_display() for r in reports)
    days = sorted((r.outcome_at.date() - r.occurred_on).days for r in reports if r.outcome_at)
    entries = GuardianQuarter.objects.filter(trust=trust, year=year, quarter=quarter).first()
    open_breaches = (
        RotaBreach.objects.filter(trust=trust, warning=False)
        .values("rota__name")
        .annotate(n=Count("id"))
        .order_by("-n")
    )
    return {
        "year": year,
        "quarter": quarter,
        "label": quarter_label(year, quarter),
        "start": start,
        "end": end - dt.timedelta(days=1),
        "total": len(reports),
        "awaiting": sum(1 for r in reports if not r.outcome),
        "by_specialty": by_specialty.most_common(),
        "by_grade": by_grade.most_common(),
        "by_kind": [(label, by_kind.get(label, 0)) for label in ReportKind.labels],
        "by_outcome": by_outcome.most_common(),
        "toil_hours": sum((r.toil_hours or Decimal("0")) for r in reports if r.outcome == Outcome.TOIL),
        "fines": fines_by_category,
        "fine_count": len(fined),
        "fine_total": sum((r.fine_amount or Decimal("0")) for r in fined),
        "fine_to_doctors": sum((r.fine_to_doctor or Decimal("0")) for r in fined),
        "fine_to_guardian": sum((r.fine_to_guardian or r.fine_amount or Decimal("0")) for r in fined),
        "fines_by_payer": by_payer,
        "trend": trend,
        "open_breaches": list(open_breaches),
        "by_route": by_route.most_common(),
        "median_days_to_outcome": statistics.median(days) if days else None,
        "entries": entries,
        "fine_notice": _fine_notice(trust, fined),
    }


def _fine_notice(trust: Trust, fined: list[ExceptionReport]) -> Unconfirmed:
    """ "These rates are the national defaults; ..." where a fine of the quarter computed from the hours of its breach
    was computed at a penalty rate or split the trust had not confirmed on the breach's day (one query)."""
    bases = fine_bases()
    days = {r.occurred_on for r in fined if bases.get(r.fine_category) == "hours"}
    wanted = [(fines.FILE, key, day) for day in sorted(days) if fine_categories(on=day) for key in fine_keys(day)]
    return unconfirmed_over(trust, wanted, "rate", "rates")


def generation_stopped(plan: RosterPlan) -> bool:
    """Queued or generating, but its worker has stopped (``core.heartbeat``): silent for a minute and a half, or
    never started. Its coordinator may generate again."""
    return plan.running and heartbeat.stopped(plan, queued_at=plan.updated_at)


@dataclass(frozen=True)
class GenerationFailure:
    """Why the last generation of a plan found no rota, as its page says it: an error in the task, a search that ran
    out of rotas to try (``exhausted``, with the breaches its rounds forbade), a stop, else the time ran out."""

    error: bool
    exhausted: bool
    stopped: bool
    kept_weeks: int
    reasons: list[dict[str, str]]
    earlier_stands: bool  # an earlier rota of the plan is still there, unchanged


def generation_failure(plan: RosterPlan) -> GenerationFailure | None:
    """The failure of the plan's last generation (``generation._save`` and ``_solve`` keep it), or None."""
    if not plan.failed:
        return None
    attempt = plan.result.get("last_attempt") or {}
    return GenerationFailure(
        error=attempt.get("status") == "error",
        exhausted=bool(attempt.get("exhausted")),
        stopped=bool(attempt.get("stopped")),
        kept_weeks=int(attempt.get("kept_weeks") or 0),
        reasons=list(attempt.get("reasons") or []),
        earlier_stands=bool(plan.result.get("assignment")),
    )


def generating(plan: RosterPlan) -> bool:
    """Being generated by a worker that is alive (or waiting for one): the plan may not change meanwhile."""
    return plan.running and not generation_stopped(plan)


# --- issue 32: publish ---------------------------------------------------------------------------------------------


def published_rotas(*, trust: Trust | int) -> QuerySet[Rota]:
    """The trust's rotas published to their doctors (each has at least one ``RotaPublication``): the only rotas whose
    duties a doctor's own pages (My rota, the calendar feed) show. Rotas that existed before publication came to
    medlead were recorded as published on the day they were made, so none disappeared."""
    return Rota.objects.filter(trust=trust, publications__isnull=False).distinct()
