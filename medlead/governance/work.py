"""Board governance on the trust's home page: the actions one owns that are late or fall due soon."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q

from medlead.core.work import Task, Visit, needs_you
from medlead.governance.models import Action, ActionStatus
from medlead.governance.selectors import reminder_days


@needs_you(order=90)
def own_actions(visit: Visit) -> list[Task]:
    pid, today = visit.person_id, visit.today
    if not visit.own or pid is None:
        return []
    window = today + dt.timedelta(days=reminder_days(visit.trust, today))
    counts = Action.objects.filter(
        trust=visit.trust, owner_id=pid, status=ActionStatus.OPEN, due__lte=window
    ).aggregate(n_due=Count("pk"), n_late=Count("pk", filter=Q(due__lt=today)))
    late, soon = counts["n_late"], counts["n_due"] - counts["n_late"]
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
