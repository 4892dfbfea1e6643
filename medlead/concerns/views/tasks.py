"""The page "What needs you" opens for MHPS cases: the reviews missed or due within the alert, or the investigation
reports overdue, on the cases the reader manages or is HR lead on; exactly those, the most pressing first, with how
far past (or before) its date each is; the case itself when there is one. Only the case's number shows: the case
page records the reading."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.concerns.selectors import alert_days, deadlines, report_deadlines
from medlead.core import dates
from medlead.core.query import QueryForm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.organisation.selectors import trust_for

SHOWN = {
    "missed": ("Case reviews missed", "Review by"),
    "soon": ("Case reviews due within a week", "Review by"),
    "reports": ("Investigation reports overdue", "Report due by"),
}


class WaitingQuery(QueryForm):
    show = forms.ChoiceField(label="Which deadlines", choices=[(k, k) for k in SHOWN], required=False)


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    show = WaitingQuery(request.GET).values()["show"] or "missed"
    today = dates.today()

    def case_url(pk: int) -> str:
        return reverse("concerns:case", kwargs={"trust_code": trust.code, "pk": pk})

    title, since = SHOWN[show]
    if show == "reports":
        items = [
            Waiting(f"Case {i.case_id}", case_url(i.case_id), i.report_due, "The investigation report")
            for i in report_deadlines(actor=request.user, trust=trust)
            if i.report_overdue(today)
        ]
    else:
        alert = alert_days(trust, today)  # as the home page counts
        reviews = deadlines(actor=request.user, trust=trust, today=today)
        chosen = (
            [m for m in reviews if m.is_missed(today)]
            if show == "missed"
            else [m for m in reviews if not m.is_missed(today) and (m.review_by - today).days <= alert]
        )
        items = [
            Waiting(f"Case {m.case_id}", case_url(m.case_id), m.review_by, f"The {m.get_kind_display().lower()}")
            for m in chosen
        ]
        if show == "soon":  # the alert's length, as the home page says it
            title = "Case reviews due within " + ("a week" if alert == 7 else f"{alert} days")
    return task_list(
        request,
        trust=trust,
        section="concerns",
        title=title,
        items=items,
        today=today,
        since_label=since,
        back=(reverse("concerns:cases", kwargs={"trust_code": trust.code}), "All your cases"),
    )
