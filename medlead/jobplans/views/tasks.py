"""The page "What needs you" opens for job plans waiting for the reader's signature: exactly those plans, oldest
first, each with how long it has waited (or the plan itself when there is one)."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_safe

from medlead.core import dates
from medlead.core.query import QueryForm, year_field
from medlead.core.views import task_list
from medlead.core.work import Waiting
from medlead.jobplans import selectors
from medlead.jobplans.models import State
from medlead.organisation.selectors import trust_for

TITLES = {
    State.AGREED: "Job plans agreed by the doctor, waiting for your signature",
    State.SIGNED_CD: "Job plans signed by the clinical director, waiting for your sign-off",
}


class WaitingQuery(QueryForm):
    state = forms.ChoiceField(label="Which plans", choices=[(str(s), str(s)) for s in TITLES], required=False)
    year = year_field()


@require_safe
def waiting(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    query = WaitingQuery(request.GET).values()
    year = query["year"] or selectors.current_year()
    state = query["state"] or str(State.AGREED)
    pending = selectors.plans_waiting(actor=request.user, trust=trust, year=year).get(state)
    plans = [] if pending is None else list(pending.select_related("person__specialty").order_by())
    items = [
        Waiting(
            plan.person.display_name,
            reverse("jobplans:plan", kwargs={"trust_code": trust.code, "pk": plan.pk}),
            # signed by the clinical director: since that signature; agreed: since the doctor's agreement, the
            # plan's last change (a change to an agreed plan sends it back to discussion)
            dates.day_of(plan.cd_signed_at if state == State.SIGNED_CD and plan.cd_signed_at else plan.updated_at),
            f"{plan.person.specialty or 'No specialty'}; {plan.pas_total:g} of {plan.contracted_pas:g} PAs",
        )
        for plan in plans
    ]
    return task_list(
        request,
        trust=trust,
        section="jobplans",
        title=TITLES[State(state)],
        items=items,
        today=dates.today(),
        back=(reverse("jobplans:dashboard", kwargs={"trust_code": trust.code}), "All job plans"),
    )
