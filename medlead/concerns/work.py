"""Concerns about practice (MHPS) on the trust's home page: case reviews and investigation reports due or late for
those who see the cases, and the open cases in the board's picture (counts under 3 withheld)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from medlead.concerns.selectors import alert_days, board_counts, reports_due, reviews_due
from medlead.core.work import Figure, Task, Visit, board_section, needs_you


@needs_you(order=80)
def case_deadlines(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    """Reviews missed or due soon, and investigation reports overdue, on the cases the person manages or is HR lead
    on: three counts among the page's (most people manage no case and count none)."""
    if visit.person_id is None:
        return []
    today = visit.today
    alert = alert_days(visit.trust, today)
    reviews = reviews_due(person_id=visit.person_id, trust=visit.trust)
    missed = visit.count(reviews.filter(review_by__lt=today))  # Measure.is_missed
    soon = visit.count(reviews.filter(review_by__gte=today, review_by__lte=today + dt.timedelta(days=alert)))
    late = visit.count(reports_due(person_id=visit.person_id, trust=visit.trust).filter(report_due__lt=today))
    return lambda: _case_deadlines(visit, alert, missed.value, soon.value, late.value)


def _case_deadlines(visit: Visit, alert: int, missed: int, soon: int, late_reports: int) -> list[Task]:
    tasks = []
    cases_url = visit.url("concerns:waiting")
    if missed:
        tasks.append(Task("case reviews missed", missed, cases_url + "?show=missed", True, one="case review missed"))
    if soon:
        within = "a week" if alert == 7 else f"{alert} days"
        tasks.append(
            Task(
                f"case reviews due within {within}",
                soon,
                cases_url + "?show=soon",
                one=f"case review due within {within}",
            )
        )
    if late_reports:
        tasks.append(
            Task(
                "investigation reports overdue",
                late_reports,
                cases_url + "?show=reports",
                True,
                one="investigation report overdue",
            )
        )
    return tasks


@board_section(order=60)
def open_cases(visit: Visit) -> list[Figure]:
    mhps = board_counts(trust=visit.trust, today=visit.today)
    stages = "; ".join(f"{stage}: {n if n is not None else 'fewer than 3'}" for stage, n in mhps["by_stage"].items())
    excluded = (
        "fewer than 3 doctors excluded"
        if mhps["excluded"] is None
        else f"{mhps['excluded']} excluded"
        + (f", the longest for {mhps['longest_exclusion_days']} days" if mhps["longest_exclusion_days"] else "")
    )
    median = mhps["median_open_days"]
    return [
        Figure(
            "Concerns about practice (MHPS)",
            f"{mhps['open']} open {'case' if mhps['open'] == 1 else 'cases'}",
            (f"{stages}. " if stages else "")
            + (f"Open for a median of {median} days. " if median is not None else "")
            + f"Exclusions: {excluded}.",
        )
    ]
