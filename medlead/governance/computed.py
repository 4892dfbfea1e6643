"""The metrics medlead computes from its own records (data/board_report.yaml names them), each read "as at" a day.

A state metric (a rate, a count of posts) is its reading on the day; a flow metric (reports in the month) counts
the month that day falls in. The values come from the same selectors the module pages and the board's picture use,
so a figure in the board report matches the page behind it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from medlead.core.bulk import among
from medlead.jobplans.models import JobPlan, State
from medlead.jobplans.selectors import current_year
from medlead.leadership.models import CycleStatus, FeedbackCycle
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection
from medlead.rota.models import ExceptionReport, RotaBreach
from medlead.rota.publication import month_on_time
from medlead.structure.selectors import structure_health
from medlead.talent.models import Readiness, Successor

Measure = Callable[[Any, dt.date], float | None]  # None: nothing to measure that period (no point on the chart)


def _month(day: dt.date) -> tuple[dt.date, dt.date]:
    start = day.replace(day=1)
    end = (start + dt.timedelta(days=32)).replace(day=1)
    return start, end


def appraised(trust: Any, day: dt.date, *, group: str = "person__specialty__name") -> tuple[dict[int, str], set[int]]:
    """The doctors with a prescribed connection on ``day`` (id to their ``group``: specialty by default), and those of
    them appraised (completed or signed off) in the 12 months up to it. ``trust`` is one trust or a list of them.
    Two queries."""
    from django.db.models import Q

    scope = {"trust__in": trust} if isinstance(trust, list | tuple) else {"trust": trust}
    connected = dict(
        Connection.objects.filter(connected_on__lte=day, **scope)
        .filter(Q(disconnected_on__isnull=True) | Q(disconnected_on__gt=day))
        .values_list("person_id", group)
    )
    done = set(
        Appraisal.objects.filter(
            among("person_id", connected),  # a region's tens of thousands of doctors as one array
            status__in=[AppraisalStatus.COMPLETED, AppraisalStatus.SIGNED_OFF],
            meeting_date__gt=day - dt.timedelta(days=365),
            meeting_date__lte=day,
            **scope,
        ).values_list("person_id", flat=True)
    )
    return {pid: name or "No specialty" for pid, name in connected.items()}, done


def appraisal_rate(trust: Any, day: dt.date) -> float:
    """Of the doctors with a prescribed connection on ``day``, the percentage appraised (completed or signed off) in
    the 12 months up to it: a rolling measure, so that months compare (the annual audit's appraisal-year rate
    climbs through each year and resets in April)."""
    connected, done = appraised(trust, day)
    return round(len(done) / len(connected) * 100, 1) if connected else 0.0


def job_plans(trust: Any, *, group: str = "person__specialty__name") -> tuple[dict[int, str], set[int]]:
    """The active doctors with a job plan for this plan year or the last (id to their ``group``), and those with one
    of them signed off. ``trust`` is one trust or a list of them. Two queries."""

    year = current_year()
    scope = {"trust__in": trust} if isinstance(trust, list | tuple) else {"trust": trust}
    plans = JobPlan.objects.filter(year__in=[year, year - 1], person__active=True, **scope)
    doctors = dict(plans.values_list("person_id", group))
    signed = set(plans.filter(state=State.SIGNED).values_list("person_id", flat=True))
    return {pid: name or "No specialty" for pid, name in doctors.items()}, signed


def job_plans_signed(trust: Any, day: dt.date) -> float:
    """Of the doctors with a job plan for this plan year or the last, the percentage with one of them signed off.
    Two years, so that the figure does not fall to nothing each April when the new year's plans begin."""
    doctors, signed = job_plans(trust)
    return round(len(signed) / len(doctors) * 100, 1) if doctors else 0.0


def _findings(trust: Any, day: dt.date) -> list[Any]:

    return list(structure_health(trust=trust, on=day))


def posts_vacant_or_interim(trust: Any, day: dt.date) -> float:
    return float(sum(1 for f in _findings(trust, day) if f.rule in ("vacant_post", "interim_holder")))


def structure_serious_findings(trust: Any, day: dt.date) -> float:
    return float(sum(1 for f in _findings(trust, day) if f.severity == "high"))


def rota_breaches(trust: Any, day: dt.date) -> float:

    return float(RotaBreach.objects.filter(trust=trust, warning=False).count())


def exception_reports(trust: Any, day: dt.date) -> float:

    start, end = _month(day)
    return float(ExceptionReport.objects.filter(trust=trust, occurred_on__gte=start, occurred_on__lt=end).count())


def guardian_fines(trust: Any, day: dt.date) -> float:

    start, end = _month(day)
    reports = ExceptionReport.objects.filter(trust=trust, occurred_on__gte=start, occurred_on__lt=end)
    return float(reports.exclude(fine_category="").count())


def notice_on_time(trust: Any, day: dt.date) -> float | None:
    """Of the rotations starting in ``day``'s month, as published on or before ``day``, the percentage with both the
    work schedule and the rota issued on time (issue 32); None when none starts that month."""
    rotations, on_time = month_on_time(trust, day)
    return round(on_time / rotations * 100, 1) if rotations else None


def feedback_360_completed(trust: Any, day: dt.date) -> float:

    start, end = _month(day)
    cycles = FeedbackCycle.objects.filter(trust=trust, status=CycleStatus.CLOSED)
    return float(cycles.filter(closed_at__date__gte=start, closed_at__date__lt=end).count())


def successors_ready_now(trust: Any, day: dt.date) -> float:

    return float(Successor.objects.filter(trust=trust, readiness=Readiness.READY_NOW).count())


MEASURES: dict[str, Measure] = {
    f.__name__: f
    for f in (
        appraisal_rate,
        job_plans_signed,
        posts_vacant_or_interim,
        structure_serious_findings,
        rota_breaches,
        exception_reports,
        guardian_fines,
        notice_on_time,
        feedback_360_completed,
        successors_ready_now,
    )
}
