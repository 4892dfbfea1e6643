"""The development home page: the target role, its gaps and the suggestions that close them."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.development import forms as f
from medlead.development import presenters, selectors, services
from medlead.development.views.common import render_page
from medlead.organisation.selectors import own_person, trust_for


@require_safe
def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    if person is None or person.trust_id != trust.pk:
        return render_page(
            request, "development/home_manager.jinja", trust, **presenters.manager_home(request.user, trust, today())
        )
    context = presenters.doctor_home(request.user, trust, person, today())
    role = context["role"]
    return render_page(
        request,
        "development/home.jinja",
        trust,
        **context,
        role_form=f.TargetRoleForm(initial={"role": role.code if role else None}),
    )


@require_POST
def target_role(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    form = f.TargetRoleForm(request.POST)
    if form.is_valid():
        services.target_role_set(actor=request.user, person=person, role=form.cleaned_data["role"])
        messages.success(request, f"Your target role is now {form.cleaned_data['role'].name.lower()}.")
    else:
        messages.error(request, "Choose a target role from the list.")
    return redirect("development:home", trust_code=trust.code)


@require_POST
def suggestion_add(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    form = f.SuggestionForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That suggestion is no longer offered: choose one from the list.")
        return redirect("development:home", trust_code=trust.code)
    opportunity = form.cleaned_data["opportunity"]
    try:
        services.suggestion_add(
            actor=request.user,
            person=person,
            opportunity=opportunity,
            item=form.cleaned_data["item"],
            role=selectors.target_role(person),
            today=today(),
            origin=form.cleaned_data["origin"],
        )
        messages.success(request, f"'{opportunity.title}' is in your development plan.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("development:home", trust_code=trust.code)
