"""The pages "What needs you" opens for revalidation: the recommendations due (or past their submission date) for
the responsible officer, and the appraisals one is to complete as appraiser; each list exactly the records of the
task, oldest first, with its age (the record itself when there is one)."""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.policy import Forbidden, Perm, can
from medlead.core.query import QueryForm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.organisation.selectors import trust_for
from medlead.revalidation import selectors
from medlead.revalidation.models import Appraisal, AppraisalStatus

SHOWN = {
    "overdue": ("Revalidation recommendations past their submission date", "Submission date"),
    "due": ("Revalidation recommendations due in the coming months", "Submission date"),
    "appraising": ("Appraisals you are to complete as appraiser", "Arranged on"),
    "submit": ("Revalidation recommendations to submit on GMC Connect", "Submission date"),
}
TO_COMPLETE = [AppraisalStatus.PREPARING, AppraisalStatus.BOOKED]


class WaitingQuery(QueryForm):
    show = forms.ChoiceField(label="Which records", choices=[(k, k) for k in SHOWN], required=False)


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    show = WaitingQuery(request.GET).values()["show"] or "appraising"
    today = dates.today()
    back: tuple[str, str] | None
    if show == "appraising":
        person_id = getattr(request.user, "person_id", None)
        appraisals = Appraisal.objects.filter(
            trust=trust, appraiser_id=person_id, appraiser__isnull=False, status__in=TO_COMPLETE
        ).select_related("person")
        items = [
            Waiting(
                f"{a.person.display_name}, {a.year_label}",
                reverse("revalidation:appraisal", kwargs={"trust_code": trust.code, "pk": a.pk}),
                dates.day_of(a.created_at),
                a.get_status_display() + (f", meeting on {a.meeting_date:%-d %B %Y}" if a.meeting_date else ""),
            )
            for a in appraisals
        ]
        back = (reverse("revalidation:mine", kwargs={"trust_code": trust.code}), "All your appraisals")
    elif show == "submit":
        if not can(request.user, Perm.MAKE_RECOMMENDATIONS, trust):
            raise Forbidden(Perm.MAKE_RECOMMENDATIONS)
        items = [
            Waiting(
                r.person.display_name,
                reverse("revalidation:recommendation", kwargs={"trust_code": trust.code, "pk": r.pk}),
                r.due_date,
                f"{r.get_kind_display()} recommendation made on {r.made_on:%-d %B %Y}, not yet marked submitted",
            )
            for r in selectors.awaiting_gmc(trust=trust)
        ]
        back = (reverse("revalidation:home", kwargs={"trust_code": trust.code}), "Appraisal and revalidation")
    else:
        if not can(request.user, Perm.MAKE_RECOMMENDATIONS, trust):
            raise Forbidden(Perm.MAKE_RECOMMENDATIONS)
        past = Q(submission_date__lt=today)
        queue = selectors.due_queue(trust=trust, today=today).filter(past if show == "overdue" else ~past)
        items = [
            Waiting(
                c.person.display_name,
                reverse("revalidation:doctor", kwargs={"trust_code": trust.code, "pk": c.person_id}),
                c.submission_date,
                f"GMC number {c.person.gmc_number}; {c.person.specialty or 'no specialty recorded'}",
            )
            for c in queue
        ]
        back = (reverse("revalidation:home", kwargs={"trust_code": trust.code}), "Appraisal and revalidation")
    title, since = SHOWN[show]
    return task_list(
        request,
        trust=trust,
        section="revalidation",
        title=title,
        items=items,
        today=today,
        since_label=since,
        back=back,
    )
