"""The responsible officer's view (issue 33, item 2): for each connected doctor, whether colleague and patient
feedback is done in this revalidation cycle (the day the report was released and the questionnaire used), and those
not yet done, with their submission date. Whether and when only: never a report's content."""

from __future__ import annotations

from django.core.paginator import Paginator
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

PER_PAGE = 50


@require_safe
def status(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_FEEDBACK_STATUS)
    asked = StatusQuery(request.GET).values()
    show, search = asked["show"] or "all", (asked["q"] or "").strip()
    today = dates.today()
    months = int(settings(trust, today)["due_queue_months"])
    horizon = rules.add_months(today, months)
    page = None
    if show == "due":
        # only the doctors whose submission date falls within the horizon are read, not every doctor
        rows = selectors.not_done_due_within(trust=trust, today=today, until=horizon)
    else:
        # every connected doctor, by name, a page at a time: only the page's doctors are worked out
        page = Paginator(selectors.connected_people(trust=trust, search=search), PER_PAGE).get_page(asked["page"])
        rows = selectors.doctors_named(trust=trust, today=today, people=[p.pk for p in page.object_list])
    return render(
        request,
        "feedback/status.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "rows": rows,
            "page": page,
            "search": search,
            "show": show,
            "today": today,
            "horizon": horizon,
            "months": months,
            "not_done": sum(1 for r in rows if not r.done),
        },
    )
