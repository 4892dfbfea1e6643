"""The responsible officer's view (issue 33, item 2): for each connected doctor, whether colleague and patient
feedback is done in this revalidation cycle (the day the report was released and the questionnaire used), and those
not yet done, with their submission date. Whether and when only: never a report's content."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.policy import Perm
from medlead.feedback import status as selectors
from medlead.feedback.report_forms import StatusQuery
from medlead.organisation.selectors import trust_for
from medlead.revalidation import rules
from medlead.revalidation.selectors import settings


@require_safe
def status(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_FEEDBACK_STATUS)
    show = StatusQuery(request.GET).values()["show"] or "all"
    today = dates.today()
    months = int(settings(trust, today)["due_queue_months"])
    horizon = rules.add_months(today, months)
    # those due read alone: only the doctors whose submission date falls within the horizon (not every doctor)
    rows = selectors.doctors(trust=trust, today=today, due_by=horizon if show == "due" else None)
    if show == "due":
        rows = [r for r in rows if not r.done]
    return render(
        request,
        "feedback/status.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "rows": rows,
            "show": show,
            "today": today,
            "horizon": horizon,
            "months": months,
            "not_done": sum(1 for r in rows if not r.done),
        },
    )
