"""The responsible officer's queue and a doctor's revalidation record with the recommendation form (the decision on
a missed appraisal is ``views.missed``)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render

from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core.policy import Perm, can
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for
from medlead.revalidation import rules, selectors, services
from medlead.revalidation.forms import GmcSubmittedForm, RecommendForm


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_REVALIDATION)
    today = dates.today()
    year = selectors.appraisal_year(trust, today)
    return render(
        request,
        "revalidation/home.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "today": today,
            "queue": selectors.due_queue(trust=trust, today=today),
            "to_submit": list(selectors.awaiting_gmc(trust=trust))
            if can(request.user, Perm.MAKE_RECOMMENDATIONS, trust)
            else [],
            "rates": selectors.appraisal_rates(trust=trust, year=year),
            "year": year,
            "months": int(selectors.settings(trust, today)["due_queue_months"]),
            "unconfirmed": selectors.home_unconfirmed(trust, today),
            "can_manage": can(request.user, Perm.MANAGE_APPRAISALS, trust),
        },
    )


def doctor(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """A doctor's record; the responsible officer's recommendation starts here (``views.recommend``)."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_REVALIDATION)
    person = get_object_or_404(Person, trust=trust, pk=pk)
    return doctor_page(request, trust, person)


def doctor_page(
    request: HttpRequest, trust: Trust, person: Person, form: RecommendForm | None = None, checked: bool = False
) -> HttpResponse:
    """The doctor's record, with the recommendation form (blank, or as posted with its errors and what stands in the
    way) where one can be made, or the recommendation still to submit to the GMC where there is one."""
    today = dates.today()
    record = selectors.doctor_record(person=person, today=today)
    is_ro = can(request.user, Perm.MAKE_RECOMMENDATIONS, trust)
    concerns = (
        services.concerns_read(actor=request.user, person=person)
        if can(request.user, Perm.VIEW_CONCERNS, trust)
        else None
    )
    waiting = services.awaiting_gmc(record["connection"]) if record["connection"] else None
    offered = is_ro and record["connection"] is not None and waiting is None
    form = (form or RecommendForm()) if offered else None
    notes: list[rules.Note] = []
    if checked and form is not None and form.is_valid():
        data = form.cleaned_data
        notes = services.recommendation_notes(
            connection=record["connection"],
            kind=data["kind"],
            defer_to=data["defer_to"],
            criteria=form.chosen_criteria(),
            today=today,
        )
    for appraisal in record.get("appraisals", {}).values():
        auditor.audit_read(actor=request.user, obj=appraisal, note="outputs read for revalidation")
    return render(
        request,
        "revalidation/doctor.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "person": person,
            "r": record,
            "form": form,
            "waiting": waiting if is_ro else None,
            "submitted_form": GmcSubmittedForm(initial={"submitted_on": today}) if is_ro and waiting else None,
            "concerns": concerns,
            "notes": notes,
            "si_names": selectors.si_names(),
            "may_allocate": can(request.user, Perm.MANAGE_APPRAISALS, trust),
            "this_year": selectors.appraisal_year(trust, today),
        },
    )
