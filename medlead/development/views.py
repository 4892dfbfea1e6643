"""Pages of a doctor's development: their target role, gaps and suggestions, PDP, experience log, mentoring,
career plan and readiness report; the opportunity catalogue and the trust's openings; the mentor register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from medlead.core import audit as auditor
from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import form_page
from medlead.development import forms as f
from medlead.development import selectors, services
from medlead.development.models import (
    Action,
    CareerPlan,
    DevelopmentPlan,
    Experience,
    Interest,
    Mentor,
    Mentorship,
    MentorshipStatus,
    Opening,
    OpeningStatus,
    Opportunity,
    PlanStatus,
    ReadinessShare,
)
from medlead.development.workflows import DEVELOPMENT_PLAN, MENTORSHIP, OPENING
from medlead.leadership.models import FrameworkItem
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import own_person, trust_for
from medlead.structure.models import PostType

SECTION = "development"


def _render(request: HttpRequest, template: str, trust: Trust, **context: Any) -> HttpResponse:
    return render(request, template, {"current_trust": trust, "section": SECTION, **context})


# ----------------------------------------------------------------------------------------------- home


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    if person is None or person.trust_id != trust.pk:
        return _render(
            request,
            "development/home_manager.jinja",
            trust,
            openings=selectors.open_openings(trust, today()),
            can_post=can(request.user, Perm.MANAGE_OPENINGS, trust),
            can_register=can(request.user, Perm.MANAGE_MENTOR_REGISTER, trust),
        )
    role = selectors.target_role(person)
    found, suggested = selectors.suggestions(person, role) if role else ([], [])
    plan = selectors.current_plan(person)
    items_by_key = {
        f"{i.framework.code}/{i.code}": i
        for i in FrameworkItem.objects.filter(framework__trust__isnull=True).select_related("framework")
    }
    return _render(
        request,
        "development/home.jinja",
        trust,
        person=person,
        role=role,
        role_form=f.TargetRoleForm(initial={"role": role.code if role else None}),
        gaps=sorted(found, key=lambda g: -g.size),
        suggested=suggested,
        items_by_key=items_by_key,
        plan=plan,
        progress=selectors.plan_progress(plan) if plan else None,
        mentorships=selectors.mentorships_for(person),
        experiences=Experience.objects.filter(person=person)[:5],
        openings=selectors.open_openings(trust, today()),
        shared_with_me=selectors.shared_with_me(person),
        to_agree=DevelopmentPlan.objects.filter(agreer=person, status=PlanStatus.AWAITING).select_related("person"),
        can_post=can(request.user, Perm.MANAGE_OPENINGS, trust),
        can_register=can(request.user, Perm.MANAGE_MENTOR_REGISTER, trust),
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
    opportunity = get_object_or_404(Opportunity, code=request.POST.get("opportunity", ""))
    item_id = request.POST.get("item", "")
    item = FrameworkItem.objects.filter(pk=item_id).first() if item_id.isdigit() else None
    try:
        services.suggestion_add(
            actor=request.user,
            person=person,
            opportunity=opportunity,
            item=item,
            role=selectors.target_role(person),
            today=today(),
            origin=request.POST.get("origin", ""),
        )
        messages.success(request, f"'{opportunity.title}' is in your development plan.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("development:home", trust_code=trust.code)


# ------------------------------------------------------------------------------------------------ PDP


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
    require(request.user, Perm.VIEW_PDP, plan)
    return trust, plan


def plan(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, p = _plan(request, trust_code, pk)
    owner = can(request.user, Perm.VIEW_DEVELOPMENT_RECORD, p)
    errors: list[str] = []
    if request.method == "POST":
        what = request.POST.get("do", "")
        try:
            if what == "goal":
                form = f.GoalForm(request.POST)
                if not form.is_valid():
                    raise ValidationError("Write the goal (up to 300 characters) and choose an item from the list.")
                services.goal_add(
                    actor=request.user, plan=p, text=form.cleaned_data["text"], item=form.cleaned_data["item"]
                )
            elif what == "action":
                goal = get_object_or_404(p.goals, pk=request.POST.get("goal", 0) or 0)
                action_form = f.ActionForm(request.POST)
                if not action_form.is_valid():
                    raise ValidationError(
                        [
                            f"{action_form.fields[k].label}: {' '.join(map(str, v))}"
                            for k, v in action_form.errors.items()
                        ]
                    )
                services.action_add(actor=request.user, goal=goal, **action_form.cleaned_data)
            elif what == "status":
                action = get_object_or_404(Action, goal__plan=p, pk=request.POST.get("action", 0) or 0)
                services.action_set_status(
                    actor=request.user, action=action, status=request.POST.get("status", ""), today=today()
                )
            elif what == "request":
                agreer_form = f.AgreerForm(request.POST, choices=selectors.agreer_choices(p.person))
                if not agreer_form.is_valid():
                    raise ValidationError("Choose your mentor or line manager.")
                services.plan_request_agreement(actor=request.user, plan=p, agreer=agreer_form.cleaned_data["agreer"])
            elif what == "agree":
                services.plan_agree(actor=request.user, plan=p)
            elif what == "review":
                services.plan_review(actor=request.user, plan=p, notes=request.POST.get("notes", ""), today=today())
            elif what == "close":
                services.plan_close(actor=request.user, plan=p)
            else:
                raise ValidationError("Unknown request.")
            messages.success(request, "Saved.")
            return redirect("development:plan", trust_code=trust.code, pk=p.pk)
        except ValidationError as exc:
            errors = exc.messages
    goals = p.goals.select_related("item").prefetch_related("actions__opportunity")
    return _render(
        request,
        "development/plan.jinja",
        trust,
        p=p,
        owner=owner,
        goals=goals,
        progress=selectors.plan_progress(p),
        reviews=p.reviews.select_related("reviewer"),
        agreer_form=f.AgreerForm(choices=selectors.agreer_choices(p.person)) if owner else None,
        goal_form=f.GoalForm(),
        statuses=f.ActionStatus.choices,
        opportunities=Opportunity.objects.order_by("title"),
        can_agree=DEVELOPMENT_PLAN.may_move(request.user, p, PlanStatus.AGREED),
        can_edit=DEVELOPMENT_PLAN.can_edit(request.user, p),
        can_request=DEVELOPMENT_PLAN.may_move(request.user, p, PlanStatus.AWAITING),
        can_close=DEVELOPMENT_PLAN.may_move(request.user, p, PlanStatus.CLOSED),
        can_review=DEVELOPMENT_PLAN.editable(p) and can(request.user, Perm.VIEW_PDP, p),
        errors=errors,
        history=DevelopmentPlan.objects.filter(person=p.person).exclude(pk=p.pk) if owner else [],
    )


def plan_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    _, p = _plan(request, trust_code, pk)
    goals = p.goals.select_related("item").prefetch_related("actions__opportunity")
    context = {"p": p, "goals": goals, "progress": selectors.plan_progress(p), "reviews": p.reviews.all()}
    return pdf_response(
        request, "development/plan_pdf.jinja", context, f"development-plan-{p.pk}.pdf", trust=p.trust, confidential=True
    )


# -------------------------------------------------------------------------------------- catalogue, openings


def catalogue(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    qs = Opportunity.objects.prefetch_related("items__framework")
    category = request.GET.get("category", "")
    audience = request.GET.get("audience", "")
    if category:
        qs = qs.filter(category=category)
    opps = [o for o in qs if not audience or audience in o.audience]
    return _render(
        request,
        "development/catalogue.jinja",
        trust,
        opportunities=opps,
        categories=Opportunity.objects.values_list("category", flat=True).distinct().order_by("category"),
        category=category,
        audience=audience,
    )


def openings(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return _render(
        request,
        "development/openings.jinja",
        trust,
        open=selectors.open_openings(trust, today()),
        past=Opening.objects.filter(trust=trust).exclude(status=OpeningStatus.OPEN, closes_on__gte=today())[:20],
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


def opening(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    o = get_object_or_404(Opening.objects.select_related("opportunity", "posted_by"), trust=trust, pk=pk)
    manager = can(request.user, Perm.MANAGE_OPENINGS, trust)
    person = getattr(request.user, "person", None)
    mine = Interest.objects.filter(opening=o, person=person).first() if person else None
    errors: list[str] = []
    form = f.InterestForm(request.POST or None)
    if request.method == "POST":
        try:
            if request.POST.get("do") == "decide":
                ids = [int(x) for x in request.POST.getlist("selected") if x.isdigit()]
                services.opening_decide(actor=request.user, opening=o, selected_ids=ids)
                messages.success(request, "Decided: everyone who expressed interest is being told.")
            else:
                _, me = own_person(request.user, trust_code)
                if not form.is_valid():
                    raise ValidationError("Say briefly why you want it and what you would bring.")
                services.interest_express(
                    actor=request.user, person=me, opening=o, statement=form.cleaned_data["statement"], today=today()
                )
                messages.success(request, "Your interest is recorded. You will be told the outcome.")
            return redirect("development:opening", trust_code=trust.code, pk=o.pk)
        except ValidationError as exc:
            errors = exc.messages
    return _render(
        request,
        "development/opening.jinja",
        trust,
        o=o,
        manager=manager,
        mine=mine,
        form=form,
        errors=errors,
        interests=o.interests.select_related("person") if manager else [],
        can_decide=OPENING.may_move(request.user, o, OpeningStatus.DECIDED),
        is_open=o.takes_interest_on(today()),
        has_person=person is not None and person.trust_id == trust.pk,
    )


# ------------------------------------------------------------------------------------------ experiences


def experiences(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    return _render(
        request,
        "development/experiences.jinja",
        trust,
        experiences=Experience.objects.filter(person=person).prefetch_related("items").select_related("opportunity"),
    )


def experience_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    initial: dict[str, Any] = {"started_on": today()}
    if code := request.GET.get("opportunity"):
        opp = Opportunity.objects.filter(code=code).first()
        if opp:
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


def experience_file(request: HttpRequest, trust_code: str, pk: int) -> FileResponse:
    trust = trust_for(request.user, trust_code)
    e = get_object_or_404(Experience.objects.exclude(evidence=""), trust=trust, pk=pk)
    read(request.user, Perm.VIEW_DEVELOPMENT_RECORD, e, why="evidence file downloaded")
    return FileResponse(
        e.evidence.open("rb"), as_attachment=True, filename=(e.evidence.name or "evidence").rsplit("/", 1)[-1]
    )


# -------------------------------------------------------------------------------------------- mentoring


def mentors(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return _render(
        request,
        "development/mentors.jinja",
        trust,
        mentors=Mentor.objects.filter(trust=trust, active=True).select_related("person"),
        can_register=can(request.user, Perm.MANAGE_MENTOR_REGISTER, trust),
    )


def mentor_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MENTOR_REGISTER)
    form = f.MentorForm(request.POST or None, trust=trust, instance=Mentor(trust=trust))
    if request.method == "POST" and form.is_valid():
        from medlead.core import services as core

        mentor = core.create(actor=request.user, obj=form.save(commit=False))
        mentor.items.set(form.cleaned_data["items"])
        messages.success(request, f"{mentor.display_name} is on the register.")
        return redirect("development:mentors", trust_code=trust.code)
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Add a mentor or coach to the register",
        button="Continue",
    )


def mentoring_request(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    role = selectors.target_role(person)
    matches = selectors.mentor_matches(person, role, limit=10)
    form = f.MentoringRequestForm(
        request.POST or None,
        mentors=Mentor.objects.filter(trust=trust, pk__in=[m["mentor"].pk for m in matches]),
        initial={"mentor": request.GET.get("mentor")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.mentorship_request(
                actor=request.user, mentee=person, mentor=form.cleaned_data["mentor"], goals=form.cleaned_data["goals"]
            )
            messages.success(request, f"Your request has gone to {form.cleaned_data['mentor'].display_name}.")
            return redirect("development:home", trust_code=trust.code)
        except ValidationError as exc:
            form.add_error(None, exc)
    return _render(request, "development/mentoring_request.jinja", trust, form=form, matches=matches, role=role)


def mentorship(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    m = get_object_or_404(Mentorship.objects.select_related("mentee", "mentor__person"), trust=trust, pk=pk)
    read(request.user, Perm.VIEW_MENTORSHIP, m, why="mentoring log read")
    form = f.MeetingForm(request.POST or None, initial={"met_on": today()})
    errors: list[str] = []
    if request.method == "POST":
        try:
            what = request.POST.get("do")
            if what in ("accept", "decline"):
                services.mentorship_respond(actor=request.user, mentorship=m, accept=what == "accept")
            elif what == "end":
                services.mentorship_end(actor=request.user, mentorship=m)
            elif form.is_valid():
                services.meeting_log(actor=request.user, mentorship=m, data=form.cleaned_data, today=today())
            else:
                raise ValidationError("Give the meeting's date and notes.")
            messages.success(request, "Saved.")
            return redirect("development:mentorship", trust_code=trust.code, pk=m.pk)
        except ValidationError as exc:
            errors = exc.messages
    return _render(
        request,
        "development/mentorship.jinja",
        trust,
        m=m,
        form=form,
        errors=errors,
        meetings=m.meetings.all(),
        can_respond=MENTORSHIP.may_move(request.user, m, MentorshipStatus.ACTIVE),
        can_log=MENTORSHIP.can_edit(request.user, m),
        can_end=MENTORSHIP.may_move(request.user, m, MentorshipStatus.ENDED),
    )


# ------------------------------------------------------------------------------------------ career plan


def _years_from_post(post: Any) -> tuple[list[tuple[int, Decimal, Decimal]], list[str]]:
    years, errors = [], []
    for n in range(6):
        y, c, m = (post.get(f"{k}-{n}", "").strip() for k in ("year", "clinical", "management"))
        if not (y or c or m):
            continue
        try:
            years.append((int(y), Decimal(c or "0"), Decimal(m or "0")))
        except (ValueError, InvalidOperation):
            errors.append(f"Planned split, row {n + 1}: give a year and numbers of PAs (e.g. 2027, 7.5, 2.5).")
    return years, errors


def career(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    existing = CareerPlan.objects.filter(person=person).first()
    form = f.CareerPlanForm(
        request.POST or None,
        instance=existing,
        initial={"later_roles": list(existing.later_roles.all()) if existing else []},
    )
    errors: list[str] = []
    if request.method == "POST":
        years, errors = _years_from_post(request.POST)
        if form.is_valid() and not errors:
            data = {k: v for k, v in form.cleaned_data.items() if k != "later_roles"}
            try:
                services.career_plan_save(
                    actor=request.user,
                    person=person,
                    data=data,
                    later_roles=list(form.cleaned_data["later_roles"]),
                    years=years,
                )
                messages.success(request, "Career plan saved.")
                return redirect("development:career", trust_code=trust.code)
            except ValidationError as exc:
                errors = exc.messages
    large, management_pas = selectors.holds_large_post(person)
    rows = list(existing.years.all()) if existing else []
    return _render(
        request,
        "development/career.jinja",
        trust,
        form=form,
        errors=errors,
        rows=rows + [None] * (6 - len(rows)),
        large=large,
        management_pas=management_pas,
        large_threshold=selectors.LARGE_POST_PAS,
    )


# -------------------------------------------------------------------------------------------- readiness


def _role(request: HttpRequest, person: Person) -> PostType:
    code = request.GET.get("role", "")
    role = PostType.objects.filter(code=code).first() if code else selectors.target_role(person)
    if role is None:
        raise ValidationError("Choose a target role first.")
    return role


def readiness(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = own_person(request.user, trust_code)
    try:
        role = _role(request, person)
    except ValidationError:
        messages.error(request, "Choose a target role first.")
        return redirect("development:home", trust_code=trust.code)
    if request.method == "POST":
        try:
            if share_id := request.POST.get("revoke"):
                share = get_object_or_404(ReadinessShare, person=person, pk=share_id)
                services.share_revoke(actor=request.user, share=share)
                messages.success(request, f"No longer shared with {share.shared_with.display_name}.")
            else:
                form = f.ShareForm(request.POST, trust_id=trust.pk, exclude=person.pk)
                if not form.is_valid():
                    raise ValidationError("Choose whom to share it with.")
                s = services.share_readiness(
                    actor=request.user, person=person, role=role, shared_with=form.cleaned_data["shared_with"]
                )
                messages.success(request, f"Shared with {s.shared_with.display_name}.")
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(f"{request.path}?role={role.code}")
    context = selectors.readiness(person, role)
    if request.GET.get("format") == "pdf":
        return pdf_response(
            request,
            "development/readiness_pdf.jinja",
            context,
            f"readiness-{role.code}.pdf",
            trust=trust,
            confidential=True,
        )
    return _render(
        request,
        "development/readiness.jinja",
        trust,
        **context,
        owner=True,
        shares=selectors.shares_for(person).filter(target_role=role),
        share_form=f.ShareForm(trust_id=trust.pk, exclude=person.pk),
    )


def readiness_shared(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """A readiness report someone chose to share with the viewer; every read is audited."""
    trust, me = own_person(request.user, trust_code)
    share = get_object_or_404(
        ReadinessShare.objects.select_related("person", "target_role"),
        Q(shared_with=me),
        trust=trust,
        pk=pk,
        revoked_at__isnull=True,
    )
    auditor.audit_read(actor=request.user, obj=share, note="shared readiness report read")
    context = selectors.readiness(share.person, share.target_role)
    if request.GET.get("format") == "pdf":
        return pdf_response(
            request,
            "development/readiness_pdf.jinja",
            context,
            f"readiness-{share.pk}.pdf",
            trust=trust,
            confidential=True,
        )
    return _render(request, "development/readiness.jinja", trust, **context, owner=False)
