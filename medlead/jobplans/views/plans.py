from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core import exports
from medlead.core.pdf import pdf_response
from medlead.core.policy import Forbidden, Perm, can, require
from medlead.core.stats import funnel_svg
from medlead.core.views import form_page
from medlead.jobplans import presenters, selectors, services
from medlead.jobplans.forms import (
    ActivityForm,
    CommentForm,
    DashboardQuery,
    NewPlanForm,
    PlanForm,
    TransitionForm,
    VersionForm,
    YearQuery,
)
from medlead.jobplans.models import Activity, JobPlan, State
from medlead.organisation.models import Specialty
from medlead.organisation.selectors import trust_for

# A post that is not one the page sent (a version or a state that is not a choice) is most likely a page left open
# while the plan moved on.
STALE = "This page was out of date: nothing was changed. Here is the plan as it is now."


def _year(request: HttpRequest) -> int:
    return YearQuery(request.GET).values()["year"] or selectors.current_year()


def dashboard(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    if not can(request.user, Perm.VIEW_JOB_PLANS, trust):
        return redirect("jobplans:mine", trust_code=trust.code)
    query = DashboardQuery(request.GET).values()
    year = query["year"] or selectors.current_year()
    data = selectors.dashboard(trust=trust, year=year)
    state = query["state"] or ""
    specialty = str(query["specialty"] or "")
    waiting = query["waiting"] == "me"
    plans = selectors.plans(
        trust=trust,
        year=year,
        state=state,
        specialty_id=query["specialty"],
        actor=request.user,
        waiting_for_actor=waiting,
    )
    page = Paginator(plans, 50).get_page(query["page"])
    return render(
        request,
        "jobplans/dashboard.jinja",
        {
            "current_trust": trust,
            "section": "jobplans",
            "d": data,
            "year": year,
            "page": page,
            "waiting": waiting,
            "can_sign": bool(selectors.plans_waiting(actor=request.user, trust=trust, year=year)),
            "selected_state": state,
            "specialty": specialty,
            "states": State.choices,
            "specialties": Specialty.objects.filter(trust=trust),
            "funnel_svg": funnel_svg(
                data["funnel"], title=f"SPA share of PAs by specialty, {year}/{(year + 1) % 100:02d}"
            ),
            "outliers": [p for p in data["funnel"].points if p.outside_95],
            "can_manage": can(request.user, Perm.MANAGE_JOB_PLANS, trust),
        },
    )


def mine(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person_id = getattr(request.user, "person_id", None)
    plan = JobPlan.objects.filter(trust=trust, person_id=person_id).order_by("-year").first() if person_id else None
    if plan is not None:
        return redirect("jobplans:plan", trust_code=trust.code, pk=plan.pk)
    return render(request, "jobplans/none.jinja", {"current_trust": trust, "section": "jobplans"})


def _plan(request: HttpRequest, trust_code: str, pk: int, perm: Perm = Perm.VIEW_JOB_PLAN) -> JobPlan:
    trust = trust_for(request.user, trust_code)
    plan = get_object_or_404(JobPlan.objects.select_related("person__specialty", "trust"), trust=trust, pk=pk)
    require(request.user, perm, plan)
    return plan


@require_safe  # its forms post to actions of their own
def plan_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk)
    return render(request, "jobplans/plan.jinja", presenters.plan_page(request.user, plan))


@require_POST
def plan_edit(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The plan's details (objectives, resources, contracted PAs): saved, or the page again with the errors."""
    plan = _plan(request, trust_code, pk)
    if not presenters.may_edit(request.user, plan):
        raise Forbidden(Perm.EDIT_JOB_PLAN)
    form = PlanForm(request.POST, instance=JobPlan.objects.get(trust=plan.trust, pk=plan.pk))
    if form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.plan_update(actor=request.user, plan=plan, version=form.cleaned_data["version"], **data)
            messages.success(request, "Job plan saved.")
            return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(request, "jobplans/plan.jinja", presenters.plan_page(request.user, plan, form=form))


def plan_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk)
    return pdf_response(
        request,
        "jobplans/plan_pdf.jinja",
        {"plan": plan, "v": selectors.plan_view(plan=plan), "agreed_at": selectors.agreed_at(plan)},
        f"job-plan-{plan.person.last_name}-{plan.year}.pdf",
        trust=plan.trust,
    )


def activity_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk, Perm.EDIT_JOB_PLAN)
    form = ActivityForm(
        request.POST or None, plan=plan, posts=selectors.held_posts(plan=plan), initial={"version": plan.version}
    )
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "version"}
        try:
            services.activity_add(actor=request.user, plan=plan, version=form.cleaned_data["version"], **data)
            messages.success(request, f"'{data['title']}' added.")
            return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request,
        trust=plan.trust,
        section="jobplans",
        form=form,
        title=f"Add an activity to {plan.person.display_name}'s job plan {plan.year_label}",
    )


@require_POST
def activity_delete(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    activity = get_object_or_404(Activity.objects.select_related("job_plan"), trust__code=trust_code, pk=pk)
    plan = _plan(request, trust_code, activity.job_plan_id, Perm.EDIT_JOB_PLAN)
    form = VersionForm(request.POST)
    if not form.is_valid():
        messages.error(request, STALE)
        return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)
    try:
        services.activity_delete(actor=request.user, activity=activity, version=form.cleaned_data["version"])
        messages.success(request, f"'{activity.title}' removed.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)


@require_POST
def plan_transition(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk)
    form = TransitionForm(request.POST)
    if not form.is_valid():
        messages.error(request, STALE)
        return redirect("jobplans:plan", trust_code=trust_code, pk=plan.pk)
    if form.cleaned_data["to"] in (State.SIGNED_CD, State.SIGNED):
        # a signature counts: it is checked and confirmed on its own pages (jobplans.views.signing), never one click
        return redirect("jobplans:sign", trust_code=trust_code, pk=plan.pk)
    try:
        moved = services.transition(actor=request.user, plan=plan, **form.cleaned_data)
        messages.success(request, f"The job plan is now: {moved.get_state_display()}.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("jobplans:plan", trust_code=trust_code, pk=plan.pk)


@require_POST
def plan_comment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_add(actor=request.user, plan=plan, text=form.cleaned_data["text"])
    else:
        messages.error(request, "Write a comment before posting it.")
    return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)


@require_POST
def plan_copy(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan = _plan(request, trust_code, pk, Perm.EDIT_JOB_PLAN)
    try:
        new = services.plan_copy_next_year(actor=request.user, plan=plan)
        messages.success(request, f"Job plan {new.year_label} started as a copy.")
        return redirect("jobplans:plan", trust_code=plan.trust.code, pk=new.pk)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)


def plan_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_JOB_PLANS)
    form = NewPlanForm(
        request.POST or None,
        people=selectors.plannable_people(trust=trust, actor=request.user),
        initial={"year": selectors.current_year()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            plan = services.plan_create(actor=request.user, **form.cleaned_data)
            return redirect("jobplans:plan", trust_code=trust.code, pk=plan.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section="jobplans", form=form, title="Start a job plan")


def export(request: HttpRequest, trust_code: str, fmt: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_JOB_PLANS)
    year = _year(request)
    header = [
        "GMC number",
        "Name",
        "Specialty",
        "Division",
        "State",
        "Contracted PAs",
        "DCC",
        "SPA",
        "Additional NHS responsibilities",
        "External",
        "Management",
        "Total",
    ]
    rows = [
        [
            p.person.gmc_number,
            p.person.full_name,
            p.person.specialty.name if p.person.specialty else "",
            p.person.specialty.division.name if p.person.specialty else "",
            p.get_state_display(),
            p.contracted_pas,
            p.pas_dcc,
            p.pas_spa,
            p.pas_anr,
            p.pas_ext,
            p.pas_management,
            p.pas_total,
        ]
        for p in selectors.plans(trust=trust, year=year, actor=request.user)
    ]
    return exports.download(f"job-plans-{trust.code}-{year}", fmt, header, rows)
