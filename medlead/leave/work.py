"""Leave on the trust's home page: the requests waiting for the rota coordinator's decision. And, once the apps are
loaded (core imports this module then), leave's answer to the rota's question: approved leave is a fixed absence
when a rota is generated (``rota.hooks.APPROVED_LEAVE``)."""

from __future__ import annotations

from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.leave.selectors import approved_leave, to_decide
from medlead.rota.hooks import APPROVED_LEAVE

APPROVED_LEAVE.answer_with(approved_leave)


@needs_you(order=25)
def leave_waiting(visit: Visit) -> list[Task]:
    if not can(visit.actor, Perm.MANAGE_LEAVE, visit.trust):
        return []
    n = len(to_decide(visit.actor, visit.trust))
    if not n:
        return []
    return [
        Task(
            "leave requests waiting for your decision",
            n,
            visit.url("leave:waiting"),
            one="leave request waiting for your decision",
        )
    ]
