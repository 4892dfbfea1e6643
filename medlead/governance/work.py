"""Board governance on the trust's home page: the actions one owns that are late or fall due soon."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from medlead.core.work import Task, Visit, needs_you
from medlead.governance.models import Action, ActionStatus
from medlead.governance.selectors import reminder_days


@needs_you(order=90)
def own_actions(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    pid, today = visit.person_id, visit.today
    if not visit.own or pid is None:
        return []
    window = today + dt.timedelta(days=reminder_days(visit.trust, today))
    due = Action.objects.filter(trust=visit.trust, owner_id=pid, status=ActionStatus.OPEN, due__lte=window)
    n_due, n_late = visit.count(due), visit.count(due.filter(due__lt=today))
    return lambda: _actions(visit, n_late.value, n_due.value - n_late.value)


def _actions(visit: Visit, late: int, soon: int) -> list[Task]:
    actions_url = visit.url("governance:actions_waiting")
    tasks = []
    if late:
        tasks.append(
            Task("actions you own are overdue", late, actions_url + "?show=late", True, one="action you own is overdue")
        )
    if soon:
        tasks.append(
            Task(
                "actions you own fall due within a week",
                soon,
                actions_url + "?show=soon",
                one="action you own falls due within a week",
            )
        )
    return tasks
