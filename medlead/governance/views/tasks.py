"""The page "What needs you" opens for the board's action log: the actions one owns that are overdue, or that fall
due within the reminder window; exactly those, the longest overdue first (the action itself when there is one)."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.query import QueryForm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.governance.models import Action, ActionStatus
from medlead.governance.selectors import reminder_days
from medlead.organisation.selectors import trust_for

SHOWN = {"late": "Actions you own that are overdue", "soon": "Actions you own that fall due within a week"}


class WaitingQuery(QueryForm):
    show = forms.ChoiceField(label="Which actions", choices=[(k, k) for k in SHOWN], required=False)


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    show = WaitingQuery(request.GET).values()["show"] or "late"
    today = dates.today()
    pid = getattr(request.user, "person_id", None)
    mine = Action.objects.filter(trust=trust, owner_id=pid, owner__isnull=False, status=ActionStatus.OPEN)
    if show == "late":
        mine = mine.filter(due__lt=today)
    else:
        mine = mine.filter(due__gte=today, due__lte=today + dt.timedelta(days=reminder_days(trust, today)))
    items = [
        Waiting(
            a.title,
            reverse("governance:action", kwargs={"trust_code": trust.code, "pk": a.pk}),
            a.due,
            f"From {a.meeting}" if a.meeting_id else "",
        )
        for a in mine.select_related("meeting")
    ]
    return task_list(
        request,
        trust=trust,
        section="board",
        title=SHOWN[show],
        items=items,
        today=today,
        since_label="Due by",
        back=(reverse("governance:actions", kwargs={"trust_code": trust.code}) + "?mine=1", "All your actions"),
    )
