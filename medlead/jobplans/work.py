"""Job plans on the trust's home page: plans waiting for one's signature, one's own plan in discussion, and the
plans signed off this year in the board's picture."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from medlead.core.policy import Perm
from medlead.core.work import Figure, Task, Visit, board_section, needs_you
from medlead.jobplans.models import JobPlan, State
from medlead.jobplans.selectors import current_year, plans_waiting

_WAITING = {
    State.AGREED: (
        "job plans agreed by the doctor, waiting for your signature",
        "job plan agreed by the doctor, waiting for your signature",
    ),
    State.SIGNED_CD: (
        "job plans signed by the clinical director, waiting for sign-off",
        "job plan signed by the clinical director, waiting for sign-off",
    ),
}


@needs_you(order=30)
def plans_to_sign(visit: Visit) -> Callable[[], list[Task]]:
    year = current_year()
    counts = {
        state: visit.count(qs) for state, qs in plans_waiting(actor=visit.actor, trust=visit.trust, year=year).items()
    }

    def tasks() -> list[Task]:
        out = []
        for state, n in counts.items():
            if n.value:
                url = visit.url("jobplans:waiting") + f"?state={state}&year={year}"
                text, one = _WAITING[State(state)]
                out.append(Task(text, n.value, url, one=one))
        return out

    return tasks


@needs_you(order=60)
def own_plan(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not visit.own or visit.person_id is None:
        return []
    plan = visit.first(JobPlan.objects.filter(person_id=visit.person_id, state=State.DISCUSSION), "pk")
    return lambda: _own_plan(visit, plan.value)


def _own_plan(visit: Visit, plan: tuple[Any, ...] | None) -> list[Task]:
    if not plan:
        return []
    words = "Your job plan is in discussion: agree it when it is right"
    return [Task(words, None, visit.url("jobplans:plan", pk=plan[0]))]


@board_section(order=30)
def plans_signed_off(visit: Visit) -> Callable[[], list[Figure]]:
    plan_year = current_year()
    plans = JobPlan.objects.filter(trust=visit.trust, year=plan_year)
    total, signed = visit.count(plans), visit.count(plans.filter(state=State.SIGNED))
    return lambda: _signed_off(visit, plan_year, total.value, signed.value)


def _signed_off(visit: Visit, plan_year: int, total: int, signed: int) -> list[Figure]:
    return [
        Figure(
            f"Job plans signed off, {plan_year}/{(plan_year + 1) % 100:02d}",
            f"{signed} of {total}",
            "Consultant and SAS job plans through every sign-off.",
            visit.link(Perm.VIEW_JOB_PLANS, "jobplans:dashboard"),
        )
    ]
