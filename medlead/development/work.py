"""Development on the trust's home page: plans one was asked to agree, and requests for mentoring to answer."""

from __future__ import annotations

from collections.abc import Callable

from medlead.core.work import Task, Visit, needs_you
from medlead.development.models import DevelopmentPlan, Mentorship, MentorshipStatus, PlanStatus


@needs_you(order=70)
def to_answer(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    pid = visit.person_id
    if not visit.own or pid is None:
        return []
    to_agree = visit.count(DevelopmentPlan.objects.filter(trust=visit.trust, agreer_id=pid, status=PlanStatus.AWAITING))
    requests = visit.count(
        # the mentor's own trust's register: a mentee of another trust of the region asks through its bank
        Mentorship.objects.filter(mentor__trust=visit.trust, mentor__person_id=pid, status=MentorshipStatus.REQUESTED)
    )

    def tasks() -> list[Task]:
        found = []
        if to_agree.value:
            found.append(
                Task(
                    "development plans you were asked to agree",
                    to_agree.value,
                    visit.url("development:waiting") + "?show=agree",
                    one="development plan you were asked to agree",
                )
            )
        if requests.value:
            found.append(
                Task(
                    "requests for mentoring to answer",
                    requests.value,
                    visit.url("development:waiting") + "?show=mentoring",
                    one="request for mentoring to answer",
                )
            )
        return found

    return tasks
