"""The personal development plan: its page and PDF, and one view for each thing done on it (add a goal, add an
action, update an action's status, ask for agreement, agree, record a review, close)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, require_known
from medlead.core.views import form_page
from medlead.development import forms as f
from medlead.development import presenters, selectors, services
from medlead.development.models import DevelopmentPlan
from medlead.development.views.common import SECTION, refuse, render_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import own_person, trust_for


def plan_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    start = today()
    form = f.PlanStartForm(
        request.POST or None, initial={"starts_on": start, "ends_on": start + dt.timedelta(days=365)}
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_start(
                actor=request.user, person=person, target_role=selectors.target_role(person), **form.cleaned_data
            )
            return redirect("development:plan", trust_code=trust.code, pk=plan.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request, trust=trust, section=SECTION, form=form, title="Start a personal development plan", button="Continue"
    )


def _plan(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, DevelopmentPlan]:
    trust = trust_for(request.user, trust_code)
    plan = get_object_or_404(
        DevelopmentPlan.objects.select_related("person", "target_role", "agreer"), trust=trust, pk=pk
    )
    require_known(request.user, plan, Perm.VIEW_PDP)  # 404 for anyone else, as for a plan that does not exist
    return trust, plan


def _page(request: HttpRequest, trust: Trust, plan: DevelopmentPlan, failed: forms.Form | None = None) -> HttpResponse:
    """The plan's page; ``failed`` is a form just sent and refused, shown with its errors and what was typed."""
    page = presenters.plan_page(request.user, plan)
    goal_form = failed if isinstance(failed, f.GoalForm) else f.GoalForm()
    agreer_form = failed if isinstance(failed, f.AgreerForm) else None
    if agreer_form is None and page.may_request:
        agreer_form = f.AgreerForm(choices=selectors.agreer_choices(plan.person))
    failed_action = failed if isinstance(failed, f.ActionAddForm) else None
    failed_goal = failed_action.cleaned_data.get("goal") if failed_action is not None else None
    if failed_action is not None and failed_goal is not None:
        failed_action.for_goal(failed_goal.pk)  # before the error summary links to its boxes

    def action_form_for(goal_id: int) -> f.ActionAddForm:
        """The form to add an action under a goal: the one just refused for this goal, with what was typed and
        its errors, or an empty one."""
        if failed_action is not None and failed_goal is not None and failed_goal.pk == goal_id:
            return failed_action
        return f.ActionAddForm(plan=plan, initial={"goal": goal_id}).for_goal(goal_id)

    return render_page(
        request,
        "development/plan.jinja",
        trust,
        page=page,
        action_form_for=action_form_for,
        p=plan,
        failed=failed,
        goal_form=goal_form,
        agreer_form=agreer_form,
        review_form=failed if isinstance(failed, f.ReviewForm) else f.ReviewForm(),
        statuses=f.ActionStatus.choices,
    )


@require_safe
def plan(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, p = _plan(request, trust_code, pk)
    return _page(request, trust, p)


@require_safe
def plan_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    _, p = _plan(request, trust_code, pk)
    goals = p.goals.select_related("item").prefetch_related("actions__opportunity")
    context = {"p": p, "goals": goals, "progress": selectors.plan_progress(p), "reviews": p.reviews.all()}
    return pdf_response(
        request, "development/plan_pdf.jinja", context, f"development-plan-{p.pk}.pdf", trust=p.trust, confidential=True
    )


def _act(
    request: HttpRequest,
    trust_code: str,
    pk: int,
    make_form: Callable[[DevelopmentPlan], forms.Form],
    save: Callable[[DevelopmentPlan, dict[str, Any]], object],
) -> HttpResponse:
    """One thing done on a plan: the form is checked before anything is looked up or saved; a refusal (the form's
    or the service's) shows the page again with the errors; success goes back to the page."""
    trust, p = _plan(request, trust_code, pk)
    form = make_form(p)
    if form.is_valid():
        try:
            save(p, form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("development:plan", trust_code=trust.code, pk=p.pk)
        except ValidationError as exc:
            refuse(form, exc)
    return _page(request, trust, p, failed=form)


@require_POST
def goal_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: f.GoalForm(request.POST),
        lambda p, d: services.goal_add(actor=request.user, plan=p, text=d["text"], item=d["item"]),
    )


@require_POST
def action_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    def save(p: DevelopmentPlan, d: dict[str, Any]) -> object:
        goal = d.pop("goal")
        return services.action_add(actor=request.user, goal=goal, **d)

    return _act(request, trust_code, pk, lambda p: f.ActionAddForm(request.POST, plan=p), save)


@require_POST
def action_status(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: f.ActionStatusForm(request.POST, plan=p),
        lambda p, d: services.action_set_status(
            actor=request.user, action=d["action"], status=d["status"], today=today()
        ),
    )


@require_POST
def request_agreement(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: f.AgreerForm(request.POST, choices=selectors.agreer_choices(p.person)),
        lambda p, d: services.plan_request_agreement(actor=request.user, plan=p, agreer=d["agreer"]),
    )


@require_POST
def agree(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: forms.Form(request.POST),
        lambda p, d: services.plan_agree(actor=request.user, plan=p),
    )


@require_POST
def review(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: f.ReviewForm(request.POST),
        lambda p, d: services.plan_review(actor=request.user, plan=p, notes=d["notes"], today=today()),
    )


@require_POST
def close(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        lambda p: forms.Form(request.POST),
        lambda p, d: services.plan_close(actor=request.user, plan=p),
    )
