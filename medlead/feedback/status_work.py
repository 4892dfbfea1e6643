"""Colleague and patient feedback on the trust's home page (issue 33): for the responsible officer (and the
revalidation team), the connected doctors whose feedback is not yet done in this cycle and whose submission date
falls within the revalidation queue's horizon. Registered when imported (``core.work.needs_you``): ``answers``
imports this module, so it is registered once the apps have loaded (the integrator may move the import to
``work.py``)."""

from __future__ import annotations

from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.feedback import status
from medlead.revalidation import rules
from medlead.revalidation.selectors import settings


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
