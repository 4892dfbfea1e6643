from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.dates import today
from medlead.core.policy import Perm, can
from medlead.core.query import QueryForm
from medlead.organisation.forms import PickQuery
from medlead.organisation.models import Division
from medlead.organisation.selectors import trust_for
from medlead.structure import presenters, selectors, services
from medlead.structure.forms import (
    ChartQuery,
    EndHoldingForm,
    HoldingForm,
    PortfolioAssignForm,
    PostForm,
    PostsQuery,
)
from medlead.structure.models import Holding, PortfolioFunction, Post, PostType


def posts(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    query = PostsQuery(request.GET).values()
    division = str(query["division"] or "")  # as the template compares it with each division's id
    post_type = query["type"].code if query["type"] else ""
    vacant = query["vacant"] == "1"
    page = presenters.posts_page(trust, division_id=query["division"], post_type=post_type, vacant=vacant, on=today())
    return render(
        request,
        "structure/posts.jinja",
        {
            "current_trust": trust,
            "section": "posts",
            "page": page,
            "division": division,
            "post_type": post_type,
            "vacant": vacant,
            "can_manage": can(request.user, Perm.MANAGE_STRUCTURE, trust),
        },
    )


def post_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    shown = selectors.post_page(trust, pk, today())
    return render(
        request,
        "structure/post_detail.jinja",
        {
            "current_trust": trust,
            "section": "posts",
            "post": shown.post,
            "current_ids": shown.current_ids,
            "holdings": shown.holdings,
            "direct_reports": shown.direct_reports,
            "dotted": shown.dotted,
            "portfolio": shown.portfolio,
            "notes": shown.notes,
            "can_manage": can(request.user, Perm.MANAGE_STRUCTURE, trust),
            "holding_form": HoldingForm(trust=trust),
        },
    )


def post_edit(request: HttpRequest, trust_code: str, pk: int | None = None) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    post = get_object_or_404(Post, trust=trust, pk=pk) if pk else None
    form = PostForm(request.POST or None, instance=post, trust=trust)
    if request.method == "POST" and form.is_valid():
        data = {name: form.cleaned_data[name] for name in form.Meta.fields}
        try:
            if post is None:
                post = services.post_create(actor=request.user, trust=trust, **data)
            else:
                post = services.post_update(actor=request.user, post=post, **data)
            messages.success(request, f"{post} saved.")
            return redirect("structure:post", trust_code=trust.code, pk=post.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request, "structure/post_form.jinja", {"current_trust": trust, "section": "posts", "form": form, "post": post}
    )


def holding_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    post = get_object_or_404(Post, trust=trust, pk=pk)
    form = HoldingForm(request.POST or None, trust=trust)
    if request.method == "POST" and form.is_valid():
        try:
            services.holding_create(actor=request.user, post=post, **form.cleaned_data)
            messages.success(request, f"{form.cleaned_data['person']} now holds {post}.")
            return redirect("structure:post", trust_code=trust.code, pk=post.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "structure/holding_form.jinja",
        {"current_trust": trust, "section": "posts", "form": form, "post": post},
    )


def holding_end(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    holding = get_object_or_404(Holding.objects.select_related("post", "person"), trust=trust, pk=pk)
    form = EndHoldingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.holding_end(actor=request.user, holding=holding, end=form.cleaned_data["end"])
            messages.success(request, f"{holding.person} leaves {holding.post} on {form.cleaned_data['end']:%d %B %Y}.")
            return redirect("structure:post", trust_code=trust.code, pk=holding.post_id)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "structure/holding_end.jinja",
        {"current_trust": trust, "section": "posts", "form": form, "holding": holding},
    )


def portfolio(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    can_manage = can(request.user, Perm.MANAGE_STRUCTURE, trust)
    return render(
        request,
        "structure/portfolio.jinja",
        {
            "current_trust": trust,
            "section": "portfolio",
            "tables": presenters.portfolio_page(trust, on=today(), can_manage=can_manage),
        },
    )


def portfolio_assign(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_STRUCTURE)
    function = get_object_or_404(PortfolioFunction, code=code)
    current = function.assignments.filter(trust=trust).first()
    form = PortfolioAssignForm(
        request.POST or None, trust=trust, initial={"post": current.post_id if current else None}
    )
    if request.method == "POST" and form.is_valid():
        services.portfolio_assign(actor=request.user, trust=trust, function=function, post=form.cleaned_data["post"])
        messages.success(request, f"{function} updated.")
        return redirect("structure:portfolio", trust_code=trust.code)
    return render(
        request,
        "structure/portfolio_assign.jinja",
        {"current_trust": trust, "section": "portfolio", "form": form, "function": function},
    )


def structure_health(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_STRUCTURE_HEALTH)
    findings = selectors.findings_on(trust, today())
    serious_only = HealthQuery(request.GET).values()["severity"] == "high"
    shown = [f for f in findings if f.severity == "high"] if serious_only else findings
    return render(
        request,
        "structure/health.jinja",
        {"current_trust": trust, "section": "health", "findings": shown, "serious_only": serious_only},
    )


class HealthQuery(QueryForm):
    """``?severity=high``: only the serious findings (the task on the home page)."""

    severity = forms.ChoiceField(label="Which findings", choices=[("", "All"), ("high", "Serious")], required=False)


def chart(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return render(
        request,
        "structure/chart.jinja",
        {"current_trust": trust, "section": "chart", "divisions": Division.objects.filter(trust=trust)},
    )


def chart_list(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The same data as the chart, as nested lists: works without JavaScript and with screen readers."""
    trust = trust_for(request.user, trust_code)
    data = selectors.org_chart(trust=trust)
    chosen = ChartQuery(request.GET).values()["division"]
    division = str(chosen or "")  # as the template compares it with each division's id
    if chosen:
        data["nodes"] = [n for n in data["nodes"] if n["division_id"] in (None, chosen)]
    return render(
        request,
        "structure/chart_list.jinja",
        {
            "current_trust": trust,
            "section": "chart",
            "tree": selectors.post_tree(data),
            "notes": selectors.secondment_notes(trust=trust),
            "divisions": Division.objects.filter(trust=trust),
            "division": division,
        },
    )


def chart_data(request: HttpRequest, trust_code: str) -> JsonResponse:
    trust = trust_for(request.user, trust_code)
    return JsonResponse(selectors.org_chart(trust=trust))


def role_profiles(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return render(
        request,
        "structure/role_profiles.jinja",
        {"current_trust": trust, "section": "posts", "post_types": PostType.objects.all()},
    )


def people_pick(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Suggestions for a person picker as the user types: name, GMC number, grade, specialty and current posts
    (what the people directory shows every member of the trust), never contact details."""
    trust = trust_for(request.user, trust_code)
    query = PickQuery(request.GET).values()
    search = (query["q"] or "")[:100]
    found = (
        selectors.people_to_pick(trust=trust, search=search, scope=query["scope"] or "all") if len(search) >= 2 else []
    )
    return render(
        request,
        "structure/_people_pick.jinja",
        {"people": found, "search": search, "target": (query["target"] or "")[:80]},
    )
