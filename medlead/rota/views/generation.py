"""Generating a rota for its doctors: the page (the plan, leave and requests; the request to generate, its
progress and a stop; the result with every unmet cover or request explained), and each change to the plan or run
of it, one view and one form each, posted from the page and back to it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.rota import generation, presenters
from medlead.rota.models import RosterPlan, Rota


def _rota(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Rota, RosterPlan | None]:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    return trust, rota, RosterPlan.objects.filter(trust=trust, rota=rota).first()


def _render(
    request: HttpRequest, trust: Trust, rota: Rota, plan: RosterPlan | None, posted: Any = None
) -> HttpResponse:
    if plan is not None and posted is not None:
        plan.refresh_from_db()  # as saved: a refused change left nothing behind
    context = presenters.generate_page(trust=trust, rota=rota, plan=plan, today=today(), posted=posted)
    return render(request, "rota/generate.jinja", context)


@require_safe  # the page is read; its actions post to views of their own
def generate(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _rota(request, trust_code, pk)
    return _render(request, trust, rota, plan)


def _act(
    request: HttpRequest,
    trust: Trust,
    rota: Rota,
    plan: RosterPlan | None,
    name: str,
    form: forms.Form,
    save: Callable[[dict[str, Any]], Any],
    saved: str | Callable[[Any], str] = "Saved.",
) -> HttpResponse:
    return act(
        request,
        form,
        save=save,
        done=lambda _: redirect("rota:generate", trust_code=trust.code, pk=rota.pk),
        page=lambda bound: _render(request, trust, rota, plan, (name, bound)),
        saved=saved,
    )


def _planned(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Rota, RosterPlan]:
    """The rota and its plan, for the changes that need a plan: without one there is nothing to change (404)."""
    trust, rota, plan = _rota(request, trust_code, pk)
    if plan is None:
        raise Http404
    return trust, rota, plan


def _generated(plan: RosterPlan) -> str:
    plan.refresh_from_db()  # generated already where the task queue runs in the request (development)
    return "The rota is being generated." if plan.running else "The rota is generated."


@require_POST
def plan_save(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _rota(request, trust_code, pk)
    form = presenters.plan_form(rota, plan, today(), request.POST)
    return _act(
        request, trust, rota, plan, "plan", form, lambda d: generation.plan_save(actor=request.user, rota=rota, **d)
    )


@require_POST
def absence_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _planned(request, trust_code, pk)
    form = presenters.plan_forms(rota, plan)["absence"](request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        "absence",
        form,
        lambda d: generation.absence_add(actor=request.user, plan=plan, **d),
    )


@require_POST
def request_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _planned(request, trust_code, pk)
    form = presenters.plan_forms(rota, plan)["request"](request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        "request",
        form,
        lambda d: generation.request_add(actor=request.user, plan=plan, **d),
    )


@require_POST
def needs_set(request: HttpRequest, trust_code: str, pk: int, code: str) -> HttpResponse:
    """Who and how many one shift of the plan needs; the shift is named in the address."""
    trust, rota, plan = _planned(request, trust_code, pk)
    if code not in {s["code"] for s in plan.shifts}:
        raise Http404
    form = presenters.needs_form(plan, code, request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        f"needs-{code}",
        form,
        lambda d: generation.shift_set(actor=request.user, plan=plan, code=code, **d),
    )


@require_POST
def run(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _planned(request, trust_code, pk)
    form = presenters.plan_forms(rota, plan)["generate"](request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        "generate",
        form,
        lambda d: generation.generate_request(actor=request.user, plan=plan),
        lambda _: _generated(plan),
    )


@require_POST
def again(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Generate again after a change, keeping the first weeks as they are."""
    trust, rota, plan = _planned(request, trust_code, pk)
    form = presenters.plan_forms(rota, plan)["again"](request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        "again",
        form,
        lambda d: generation.generate_request(actor=request.user, plan=plan, locked_weeks=d["locked_weeks"]),
        lambda _: _generated(plan),
    )


@require_POST
def stop(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, rota, plan = _planned(request, trust_code, pk)
    form = presenters.plan_forms(rota, plan)["stop"](request.POST)
    return _act(
        request,
        trust,
        rota,
        plan,
        "stop",
        form,
        lambda d: generation.stop(actor=request.user, plan=plan),
        "Stopping: the best rota found so far is kept.",
    )
