"""A person's appraisals and one appraisal's page. Each of the page's forms (the doctor's inputs, supporting
information, the appraiser's outputs, the revalidation team's status) posts to an action of its own, which
redirects back to the page or shows it again with that form's errors."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.pdf import pdf_response
from medlead.core.policy import Forbidden, Perm, can, read
from medlead.organisation.selectors import trust_for
from medlead.revalidation import presenters, selectors, services
from medlead.revalidation.models import Appraisal, Connection, SupportingInfo

Save = Callable[..., Any]


def my_appraisals(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person_id = getattr(request.user, "person_id", None)
    mine = Appraisal.objects.filter(trust=trust, person_id=person_id).select_related("appraiser") if person_id else []
    appraising = (
        Appraisal.objects.filter(trust=trust, appraiser_id=person_id).select_related("person") if person_id else []
    )
    year = selectors.appraisal_year(trust, dates.today())
    return render(
        request,
        "revalidation/mine.jinja",
        {
            "current_trust": trust,
            "section": "appraisal",
            "mine": mine,
            "appraising": appraising,
            "year_label": f"{year}/{(year + 1) % 100:02d}",
            "arranged": bool(person_id) and any(a.year == year for a in mine),
            "connected": person_id is not None
            and Connection.objects.filter(trust=trust, person_id=int(person_id), disconnected_on__isnull=True).exists(),
        },
    )


def _appraisal(request: HttpRequest, trust_code: str, pk: int) -> Appraisal:
    """The appraisal, its reading recorded: the content for the doctor and the appraiser, else the outputs."""
    trust = trust_for(request.user, trust_code)
    obj = get_object_or_404(Appraisal.objects.select_related("person", "appraiser", "trust"), trust=trust, pk=pk)
    if can(request.user, Perm.VIEW_APPRAISAL_CONTENT, obj):
        read(request.user, Perm.VIEW_APPRAISAL_CONTENT, obj, why="appraisal content read")
    else:
        read(request.user, Perm.VIEW_APPRAISAL_OUTPUTS, obj, why="appraisal outputs read")
    return obj


def _page(request: HttpRequest, page: presenters.AppraisalPage) -> HttpResponse:
    return render(request, "revalidation/appraisal.jinja", page.context())


@require_safe  # its forms post to actions of their own
def appraisal(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    obj = _appraisal(request, trust_code, pk)
    return _page(request, presenters.appraisal_page(request.user, obj))


def _act(request: HttpRequest, trust_code: str, pk: int, which: str, save: Save) -> HttpResponse:
    obj = _appraisal(request, trust_code, pk)
    page = presenters.appraisal_page(request.user, obj, bound=which, data=request.POST)
    form = page.forms[which]
    if form is None:
        raise Forbidden(message="You cannot change this part of the appraisal.")
    if form.is_valid():
        try:
            save(actor=request.user, appraisal=obj, **form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("revalidation:appraisal", trust_code=obj.trust.code, pk=obj.pk)
        except ValidationError as exc:
            obj.refresh_from_db()
            form.add_error(None, exc)
    return _page(request, page)


@require_POST
def inputs(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(request, trust_code, pk, "inputs", services.appraisal_update_inputs)


@require_POST
def outputs(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(request, trust_code, pk, "outputs", services.appraisal_update_outputs)


@require_POST
def supporting_info(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(request, trust_code, pk, "si", services.supporting_info_add)


@require_POST
def status(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(request, trust_code, pk, "status", services.appraisal_set_status)


def _file_under(*, actor: Any, appraisal: Appraisal, item: int, domain: str) -> SupportingInfo:
    """The item of this appraisal's supporting information (another appraisal's answers 404) filed under ``domain``."""
    found = get_object_or_404(SupportingInfo, appraisal=appraisal, pk=item)
    return services.supporting_info_domain(actor=actor, item=found, domain=domain)


@require_POST
def supporting_info_domain(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(request, trust_code, pk, "domain", _file_under)


@require_safe
def appraisal_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The appraisal's outputs as a document that leaves the building: the trust, the doctor, the appraisal year, the
    edition of Good medical practice it was held under with the summary under each domain, the PDP, the supporting
    information counted by type and domain, and who signed it off. The inputs (the doctor's reflections, the
    supporting information's titles) stay in medlead, so the PDF is for whoever may read the outputs."""
    obj = _appraisal(request, trust_code, pk)
    page = presenters.outputs_document(obj)
    return pdf_response(
        request,
        "revalidation/appraisal_pdf.jinja",
        page,
        f"appraisal-{obj.trust.code}-{obj.person_id}-{obj.year}.pdf",
        trust=obj.trust,
        confidential=True,
    )
