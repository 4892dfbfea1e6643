"""The opportunity catalogue and the trust's openings: an opening's page, expressing interest, and the decision."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.views import form_page
from medlead.development import forms as f
from medlead.development import presenters, selectors, services
from medlead.development.models import Opening, Opportunity
from medlead.development.views.common import SECTION, refuse, render_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import own_person, trust_for


@require_safe
def catalogue(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    filters = f.CatalogueFilterForm(request.GET)
    # a filter that is not valid shows the whole catalogue, as no filter does
    chosen = filters.cleaned_data if filters.is_valid() else {"category": "", "audience": ""}
    category, audience = chosen["category"], chosen["audience"]
    qs = Opportunity.objects.prefetch_related("items__framework")
    if category:
        qs = qs.filter(category=category)
    opps = [o for o in qs if not audience or audience in o.audience]
    return render_page(
        request,
        "development/catalogue.jinja",
        trust,
        opportunities=opps,
        categories=Opportunity.objects.values_list("category", flat=True).distinct().order_by("category"),
        category=category,
        audience=audience,
    )


@require_safe
def openings(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The openings this trust's doctors see (its own and those published to it), and, for its medical director's
    office, its doctors' applications to other trusts' openings that their applicants shared with it."""
    trust = trust_for(request.user, trust_code)
    shared = [
        i
        for i in selectors.shared_applications(trust)[:50]
        if can(request.user, Perm.VIEW_APPLICATION, i) and i.person_id != getattr(request.user, "person_id", None)
    ]
    return render_page(
        request,
        "development/openings.jinja",
        trust,
        open=selectors.open_openings(trust, today()),
        past=selectors.past_openings(trust, today()),
        shared=shared,
        can_post=can(request.user, Perm.MANAGE_OPENINGS, trust),
    )


def opening_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_OPENINGS)
    form = f.OpeningForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            o = services.opening_post(actor=request.user, trust=trust, data=form.cleaned_data, today=today())
            return redirect("development:opening", trust_code=trust.code, pk=o.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section=SECTION, form=form, title="Post an opening", button="Continue")


def opening_of(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Opening]:
    """An opening this trust's doctors see (its own, or one published to it), by the trust's address."""
    trust = trust_for(request.user, trust_code)
    return trust, get_object_or_404(
        selectors.openings_for(trust).select_related("posted_by", "trust__region"),
        pk=pk,
    )


def _page(request: HttpRequest, trust: Trust, o: Opening, failed: forms.Form | None = None) -> HttpResponse:
    return render_page(
        request,
        "development/opening.jinja",
        trust,
        page=presenters.opening_page(request.user, trust, o, today()),
        o=o,
        failed=failed,
        form=failed if isinstance(failed, f.InterestForm) else f.InterestForm(cross=o.trust_id != trust.pk),
        chosen=[str(i.pk) for i in failed.cleaned_data.get("selected", [])]
        if isinstance(failed, f.DecideForm) and hasattr(failed, "cleaned_data")
        else None,
    )


@require_safe
def opening(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, o = opening_of(request, trust_code, pk)
    return _page(request, trust, o)


@require_POST
def interest(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, o = opening_of(request, trust_code, pk)
    form = f.InterestForm(request.POST, cross=o.trust_id != trust.pk)
    if form.is_valid():
        _, me = own_person(request.user, trust_code)
        try:
            services.interest_express(
                actor=request.user,
                person=me,
                opening=o,
                statement=form.cleaned_data["statement"],
                today=today(),
                share_with_home=form.cleaned_data.get("share_with_home", False),
            )
            messages.success(
                request,
                "Your interest is recorded. You will be told the outcome."
                if o.trust_id == trust.pk
                else f"Your application has gone to {o.trust.name}. You will be told the outcome.",
            )
            return redirect("development:opening", trust_code=trust.code, pk=o.pk)
        except ValidationError as exc:
            refuse(form, exc)
    return _page(request, trust, o, failed=form)


@require_POST
def decide(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, o = opening_of(request, trust_code, pk)
    form = f.DecideForm(request.POST, opening=o)
    if form.is_valid():
        try:
            services.opening_decide(
                actor=request.user, opening=o, selected_ids=[i.pk for i in form.cleaned_data["selected"]]
            )
            messages.success(request, "Decided: everyone who expressed interest is being told.")
            return redirect("development:opening", trust_code=trust.code, pk=o.pk)
        except ValidationError as exc:
            refuse(form, exc)
    return _page(request, trust, o, failed=form)
