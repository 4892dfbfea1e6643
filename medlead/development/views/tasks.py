"""The page "What needs you" opens for development: the plans one was asked to agree, or the requests for mentoring
one is to answer; exactly those, oldest first, with their age (the plan or the request itself when there is one)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.query import QueryForm
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.development.models import DevelopmentPlan, Mentorship, MentorshipStatus, PlanStatus
from medlead.organisation.selectors import trust_for

SHOWN = {
    "agree": ("Development plans you were asked to agree", "Asked on"),
    "mentoring": ("Requests for mentoring to answer", "Asked on"),
}


class WaitingQuery(QueryForm):
    show = forms.ChoiceField(label="Which records", choices=[(k, k) for k in SHOWN], required=False)


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    show = WaitingQuery(request.GET).values()["show"] or "agree"
    pid = getattr(request.user, "person_id", None)
    code = trust.code
    items: list[Waiting] = []
    if pid is not None and show == "agree":
        plans = DevelopmentPlan.objects.filter(trust=trust, agreer_id=pid, status=PlanStatus.AWAITING)
        items = [
            Waiting(
                f"{p.person.display_name}'s plan, {p.starts_on:%-d %B %Y} to {p.ends_on:%-d %B %Y}",
                reverse("development:plan", kwargs={"trust_code": code, "pk": p.pk}),
                dates.day_of(p.updated_at),  # asked: the plan's last change (a change sends it back to draft)
            )
            for p in plans.select_related("person")
        ]
    elif pid is not None:
        requests = Mentorship.objects.filter(
            mentor__trust=trust, mentor__person_id=pid, status=MentorshipStatus.REQUESTED
        ).select_related("mentee__trust")
        items = [
            Waiting(
                f"From {m.mentee.display_name}" + (f", {m.mentee.trust.name}" if m.mentee.trust_id != trust.pk else ""),
                reverse("development:mentorship", kwargs={"trust_code": code, "pk": m.pk}),
                dates.day_of(m.created_at),
            )
            for m in requests
        ]
    title, since = SHOWN[show]
    return task_list(
        request,
        trust=trust,
        section="development",
        title=title,
        items=items,
        today=dates.today(),
        since_label=since,
        back=(reverse("development:home", kwargs={"trust_code": code}), "Your development"),
    )
