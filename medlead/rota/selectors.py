"""Reads for rotas, exception reports and the guardian's quarterly report."""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from medlead.core.policy import exception_reports_filter
from medlead.core.reference_data import read
from medlead.organisation.models import Trust
from medlead.rota import engine
from medlead.rota.models import Duty, ExceptionReport, Outcome, ReportKind, Rota, RotaBreach, RotaMember


@lru_cache(maxsize=1)
def rules_for(day: dt.date) -> dict[str, Any]:
    """The exception-reporting rules in force on ``day`` (data/exception_reporting.yaml): version 12 of the 2016
    terms and conditions before 4 February 2026, version 13 from then."""
    versions = sorted(read("exception_reporting.yaml")["versions"], key=lambda v: v["in_force_from"])
    found = versions[0]
    for version in versions:
        if version["in_force_from"] <= day:
            found = version
    return found


def fine_categories(on: dt.date | None = None) -> dict[str, str]:
    """The breaches that attract a guardian fine (data/guardian_fines.yaml); with ``on``, those in force that day."""
    return {
        c["code"]: c["name"]
        for c in read("guardian_fines.yaml")["categories"]
        if on is None or c.get("applies_from", dt.date.min) <= on
    }


def rotas(*, trust: Trust) -> QuerySet[Rota]:
    return (
        Rota.objects.filter(trust=trust)
        .annotate(
            breach_count=Count("breaches", filter=Q(breaches__warning=False), distinct=True),
            member_count=Count("members", distinct=True),
        )
        .select_related("specialty")
    )


def monday_of(day: dt.date) -> dt.date:
    return day - dt.timedelta(days=day.weekday())


def first_week(rota: Rota) -> dt.date:
    """The week a rota opens on: the week of its first breach if it has any (a rota that says "3 breaches"
    shows one at once), else the week of its first duty."""
    first = (
        RotaBreach.objects.filter(rota=rota, warning=False).order_by("start").values_list("start", flat=True).first()
        or Duty.objects.filter(rota=rota).order_by("start").values_list("start", flat=True).first()
    )
    return monday_of(timezone.localtime(first).date() if first else timezone.localdate())


def breach_list(*, rota: Rota, limit: int = 200) -> list[dict[str, Any]]:
    """Every breach of the rota's last check, earliest first, each with the week to open to see it."""
    breaches = RotaBreach.objects.filter(rota=rota, warning=False).select_related("person").order_by("start")[:limit]
    return [{"breach": b, "week": monday_of(timezone.localtime(b.start).date())} for b in breaches]


def week_grid(*, rota: Rota, week: dt.date) -> dict[str, Any]:
    """Doctors by day for one week: each cell lists the duties starting that day, each flagged when a breach
    of the last check starts on or ends at it."""
    days = [week + dt.timedelta(days=i) for i in range(7)]
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(week, dt.time(), tzinfo=tz)
    end = start + dt.timedelta(days=7)
    members = list(RotaMember.objects.filter(rota=rota).select_related("person").order_by("person__last_name"))
    duties = Duty.objects.filter(rota=rota, start__gte=start, start__lt=end).order_by("start")
    breaches = list(
        RotaBreach.objects.filter(rota=rota, start__lt=end, end__gt=start - dt.timedelta(days=7))
        .select_related("person")
        .order_by("start")
    )
    flagged: dict[int, list[RotaBreach]] = defaultdict(list)
    cells: dict[tuple[int, dt.date], list[dict[str, Any]]] = defaultdict(list)
    duty_list = list(duties)
    for b in breaches:
        for d in duty_list:
            if d.person_id == b.person_id and d.start <= b.end and d.end >= b.start and not b.warning:
                flagged[d.pk].append(b)
    for d in duty_list:
        local = timezone.localtime(d.start)
        cells[(d.person_id, local.date())].append({"duty": d, "breaches": flagged.get(d.pk, [])})
    return {
        "days": days,
        "rows": [{"member": m, "cells": [cells.get((m.person_id, day), []) for day in days]} for m in members],
        "breaches": [b for b in breaches if b.start < end and b.end > start],
        "previous": week - dt.timedelta(days=7),
        "next": week + dt.timedelta(days=7),
    }


def hours_by_doctor(*, rota: Rota) -> list[dict[str, Any]]:
    members = {m.person_id: m for m in RotaMember.objects.filter(rota=rota).select_related("person")}
    duties = [
        engine.Duty(str(pid), timezone.localtime(s).replace(tzinfo=None), timezone.localtime(e).replace(tzinfo=None), k)
        for pid, s, e, k in Duty.objects.filter(rota=rota).values_list("person_id", "start", "end", "kind")
    ]
    averages = engine.weekly_averages(engine.Rota.from_duties(duties))
    rules = engine.load(rota.rule_set)
    out = []
    for pid, member in members.items():
        limit_key = "opted_out_limit_hours" if member.opted_out else "limit_hours"
        out.append(
            {
                "person": member.person,
                "average": round(averages.get(str(pid), 0.0), 1),
                "limit": rules.param("max_avg_weekly_hours", limit_key),
            }
        )
    return sorted(out, key=lambda r: r["person"].last_name)


def exception_reports(*, user: Any, trust: Trust) -> QuerySet[ExceptionReport]:
    """The reports ``user`` may open (``core.policy``): their own, those routed to them, all for the guardian."""
    qs = ExceptionReport.objects.filter(trust=trust).select_related("doctor__specialty", "supervisor", "rota")
    return qs.filter(exception_reports_filter(user, trust))


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
        ExceptionReport.objects.filter(trust=trust, occurred_on__gte=start, occurred_on__lt=end).select_related(
            "doctor__specialty"
        )
    )
    by_specialty = Counter(r.doctor.specialty.name if r.doctor.specialty else "No specialty" for r in reports)
    by_grade = Counter(r.doctor.get_grade_display() or "Not recorded" for r in reports)
    by_kind = Counter(r.get_kind_display() for r in reports)
    by_outcome = Counter(r.get_outcome_display() if r.outcome else "Awaiting outcome" for r in reports)
    fines = [r for r in reports if r.fine_category]
    categories = fine_categories()
    fines_by_category: dict[str, dict[str, Any]] = {}
    for r in fines:
        row = fines_by_category.setdefault(
            categories.get(r.fine_category, r.fine_category), {"count": 0, "total": Decimal("0")}
        )
        row["count"] += 1
        row["total"] += r.fine_amount or Decimal("0")
    trend = []
    for y, q in previous_quarters(year, quarter, 4):
        s, e = quarter_bounds(y, q)
        qs = ExceptionReport.objects.filter(trust=trust, occurred_on__gte=s, occurred_on__lt=e)
        trend.append(
            {"label": quarter_label(y, q), "reports": qs.count(), "fines": qs.exclude(fine_category="").count()}
        )
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
        "fine_count": len(fines),
        "fine_total": sum((r.fine_amount or Decimal("0")) for r in fines),
        "trend": trend,
        "open_breaches": list(open_breaches),
    }
