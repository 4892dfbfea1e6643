"""The career plan: target and later roles, the planned split of clinical and management time, exit and re-entry."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from medlead.development import forms as f
from medlead.development import selectors, services
from medlead.development.models import CareerPlan
from medlead.development.views.common import refuse, render_page
from medlead.organisation.selectors import own_person


def career(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    existing = CareerPlan.objects.filter(person=person).first()
    form = f.CareerPlanForm(
        request.POST or None,
        instance=existing,
        initial={"later_roles": list(existing.later_roles.all()) if existing else []},
    )
    split = f.CareerSplitForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        plan_ok, split_ok = form.is_valid(), split.is_valid()
        if plan_ok and split_ok:
            data = {k: v for k, v in form.cleaned_data.items() if k != "later_roles"}
            try:
                services.career_plan_save(
                    actor=request.user,
                    person=person,
                    data=data,
                    later_roles=list(form.cleaned_data["later_roles"]),
                    years=split.cleaned_data["rows"],
                )
                messages.success(request, "Career plan saved.")
                return redirect("development:career", trust_code=trust.code)
            except ValidationError as exc:
                refuse(split, exc)
    large, management_pas = selectors.holds_large_post(person)
    return render_page(
        request,
        "development/career.jinja",
        trust,
        form=form,
        errors=split.non_field_errors(),
        rows=split.rows_to_show(list(existing.years.all()) if existing else []),
        large=large,
        management_pas=management_pas,
        large_threshold=selectors.LARGE_POST_PAS,
    )
