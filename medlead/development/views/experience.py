"""The experience log: the list, logging an experience, and its evidence file."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from medlead.core import uploads
from medlead.core.dates import today
from medlead.core.policy import Perm, read
from medlead.core.views import form_page
from medlead.development import forms as f
from medlead.development import services
from medlead.development.models import Experience
from medlead.development.views.common import SECTION, render_page
from medlead.organisation.selectors import own_person, trust_for


@require_safe
def experiences(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    return render_page(
        request,
        "development/experiences.jinja",
        trust,
        experiences=Experience.objects.filter(person=person).prefetch_related("items").select_related("opportunity"),
    )


def experience_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    initial: dict[str, Any] = {"started_on": today()}
    # a link from the catalogue fills in the opportunity; an unknown one leaves the form empty
    query = f.OpportunityQueryForm(request.GET)
    if query.is_valid() and (opp := query.cleaned_data["opportunity"]):
        initial |= {"opportunity": opp, "title": opp.title}
    form = f.ExperienceForm(request.POST or None, request.FILES or None, person=person, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "items"}
        try:
            services.experience_log(
                actor=request.user, person=person, data=data, items=list(form.cleaned_data["items"]), today=today()
            )
            messages.success(request, "Logged in your experience log.")
            return redirect("development:experiences", trust_code=trust.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request, trust=trust, section=SECTION, form=form, title="Log an experience", multipart=True, button="Continue"
    )


@require_safe
def experience_file(request: HttpRequest, trust_code: str, pk: int) -> HttpResponseBase:
    trust = trust_for(request.user, trust_code)
    e = get_object_or_404(Experience.objects.exclude(evidence=""), trust=trust, pk=pk)
    read(request.user, Perm.VIEW_DEVELOPMENT_RECORD, e, why="evidence file downloaded")
    return uploads.serve(e.evidence)
