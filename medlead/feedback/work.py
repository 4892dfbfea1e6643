"""The feedback exercise on the trust's home page: the doctor's open exercise, and the exercises a facilitator
runs."""

from __future__ import annotations

from medlead.core.work import Task, Visit, needs_you
from medlead.feedback.selectors import open_exercise, to_run


@needs_you(order=125)
def own_open_exercise(visit: Visit) -> list[Task]:
    if not visit.own or visit.person_id is None:
        return []
    e = open_exercise(trust=visit.trust, doctor_id=visit.person_id)
    if e is None:
        return []
    return [
        Task(
            f"Your colleague and patient feedback exercise is open until {e.closes_on:%-d %B %Y}",
            None,
            visit.url("feedback:exercise", pk=e.pk),
        )
    ]


@needs_you(order=126)
def exercises_to_run(visit: Visit) -> list[Task]:
    if visit.person_id is None:
        return []
    running = to_run(trust=visit.trust, facilitator_id=visit.person_id)
    if not running:
        return []
    return [
        Task(
            "colleague and patient feedback exercises to run",
            len(running),
            visit.url("feedback:exercise", pk=running[0].pk) if len(running) == 1 else visit.url("feedback:home"),
            one="colleague and patient feedback exercise to run",
        )
    ]
