"""Allocating appraisers: the load of each, suggestions for one doctor, and the allocation itself."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.policy import Perm
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for
from medlead.revalidation import rules, selectors, services
from medlead.revalidation.forms import AllocateForm, DoctorQuery
from medlead.revalidation.models import Connection


def _page(
    request: HttpRequest, trust: Trust, target: Person | None, form: AllocateForm, query: DoctorQuery | None = None
) -> HttpResponse:
    year = selectors.appraisal_year(trust, dates.today())
    if query is None:
        query = DoctorQuery(initial={"doctor": target}, trust=trust, year=year)
    allowed, refused = selectors.suggestions(doctor=target, year=year) if target is not None else (None, None)
    return render(
        request,
        "revalidation/appraisers.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "candidates": selectors.appraiser_candidates(trust=trust, year=year),
            "year": year,
            "target": target,
            "allowed": allowed,
            "refused": refused,
            "extendable": rules.extendable,
            "form": form,
            "query": query,
            # a short list to start from: the doctors without an appraiser this year who revalidate soonest
            "soonest": Connection.objects.filter(trust=trust, disconnected_on__isnull=True)
            .exclude(person__appraisals__year=year)
            .select_related("person")
            .order_by("submission_date", "pk")[:10],
        },
    )


@require_safe  # its forms post to actions of their own
def appraisers(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_APPRAISALS)
    year = selectors.appraisal_year(trust, dates.today())
    query = DoctorQuery(request.GET if "doctor" in request.GET else None, trust=trust, year=year)
    target = query.values()["doctor"] if query.is_bound else None
    return _page(request, trust, target, AllocateForm(trust=trust), query)


@require_POST
def allocate(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_APPRAISALS)
    form = AllocateForm(request.POST, trust=trust)
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
        return _page(request, trust, form.cleaned_data.get("doctor"), form)
    data = form.cleaned_data
    target, appraiser = data["doctor"], data["appraiser"]
    try:
        services.appraisal_create(
            actor=request.user,
            person=target,
            year=data["year"],
            appraiser=appraiser,
            extension_reason=data["extension_reason"],
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(reverse("revalidation:appraisers", kwargs={"trust_code": trust.code}) + f"?doctor={target.pk}")
    messages.success(request, f"{appraiser.display_name} will appraise {target.display_name}.")
    return redirect("revalidation:appraisers", trust_code=trust.code)
