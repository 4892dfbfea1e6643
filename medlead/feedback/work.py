"""The feedback exercise on the trust's home page: the doctor's open exercise, the exercises a facilitator runs,
and, for the responsible officer and the revalidation team, the connected doctors due to revalidate whose colleague
and patient feedback is not yet done in this cycle."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.feedback import status
from medlead.feedback.selectors import open_exercises, to_run_set
from medlead.revalidation import rules
from medlead.revalidation.selectors import settings


@needs_you(order=125)
def own_open_exercise(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not visit.own or visit.person_id is None:
        return []
    found = visit.first(open_exercises(trust=visit.trust, doctor_id=visit.person_id), "pk", "closes_on")

    def tasks() -> list[Task]:
        if found.value is None:
            return []
        pk, closes_on = found.value
        closes = closes_on if isinstance(closes_on, dt.date) else dt.date.fromisoformat(str(closes_on))
        return [
            Task(
                f"Your colleague and patient feedback exercise is open until {closes:%-d %B %Y}",
                None,
                visit.url("feedback:exercise", pk=pk),
            )
        ]

    return tasks


@needs_you(order=126)
def exercises_to_run(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if visit.person_id is None:
        return []
    running = to_run_set(trust=visit.trust, facilitator_id=visit.person_id)
    count, first = visit.count(running), visit.first(running, "pk")

    def tasks() -> list[Task]:
        if not count.value or first.value is None:
            return []
        return [
            Task(
                "colleague and patient feedback exercises to run",
                count.value,
                visit.url("feedback:exercise", pk=first.value[0]) if count.value == 1 else visit.url("feedback:home"),
                one="colleague and patient feedback exercise to run",
            )
        ]

    return tasks


@needs_you(order=12)
def feedback_not_done(visit: Visit) -> list[Task]:
    if not can(visit.actor, Perm.VIEW_FEEDBACK_STATUS, visit.trust):
        return []
    horizon = rules.add_months(visit.today, int(settings(visit.trust, visit.today)["due_queue_months"]))
    due = status.not_done_due_within(trust=visit.trust, today=visit.today, until=horizon)
    if not due:
        return []
    return [
        Task(
            "doctors due to revalidate whose colleague and patient feedback is not yet done",
            len(due),
            visit.url("feedback:status") + "?show=due",
            any(r.submission_date < visit.today for r in due),
            one="doctor due to revalidate whose colleague and patient feedback is not yet done",
        )
    ]
