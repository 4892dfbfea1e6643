"""Concerns about practice (MHPS) on the trust's home page: case reviews and investigation reports due or late for
those who see the cases, and the open cases in the board's picture (counts under 3 withheld)."""

from __future__ import annotations

from collections.abc import Callable

from medlead.concerns.selectors import board_counts, deadlines, managed_cases, mhps_values, report_deadlines
from medlead.core.work import Figure, Task, Visit, board_section, needs_you


@needs_you(order=80)
def case_deadlines(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if visit.person_id is None:
        return []
    # most people manage no case: one yes/no among the page's counts, and the deadlines read only for those who do
    manages = visit.exists(managed_cases(person_id=visit.person_id, trust=visit.trust))
    return lambda: _case_deadlines(visit) if manages.value else []


def _case_deadlines(visit: Visit) -> list[Task]:
    actor, trust, today = visit.actor, visit.trust, visit.today
    tasks = []
    reviews = deadlines(actor=actor, trust=trust, today=today)
    missed = sum(1 for m in reviews if m.is_missed(today))
    alert = int(mhps_values(trust, today)["alert_days_before_review"].value)
    soon = sum(1 for m in reviews if not m.is_missed(today) and (m.review_by - today).days <= alert)
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
    late_reports = sum(1 for i in report_deadlines(actor=actor, trust=trust) if i.report_overdue(today))
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
