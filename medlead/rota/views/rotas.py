"""The rotas, one rota's week grid with its check, and adding or removing its doctors and duties."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from medlead.core.policy import Perm, can
from medlead.core.query import strict
from medlead.core.views import form_page
from medlead.organisation.selectors import trust_for
from medlead.rota import presenters, selectors, services
from medlead.rota.forms import DayQuery, DutyForm, MemberForm, WeekQuery
from medlead.rota.models import Duty, Rota


def rota_url(rota: Rota) -> str:
    return reverse("rota:rota", kwargs={"trust_code": rota.trust.code, "pk": rota.pk})


def rota_list(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    return render(
        request,
        "rota/rotas.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "rotas": selectors.rotas(trust=trust),
            "can_manage": can(request.user, Perm.MANAGE_ROTAS, trust),
            "can_report": can(request.user, Perm.VIEW_GUARDIAN_REPORT, trust),
        },
    )


def rota_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_ROTAS)
    day = strict(WeekQuery(request.GET))["week"]
    week = selectors.monday_of(day) if day else None
    page = presenters.rota_page(actor=request.user, trust=trust, pk=pk, week=week)
    return render(request, "rota/rota.jinja", page)


def duty_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    day = strict(DayQuery(request.GET))["day"]
    form = DutyForm(request.POST or None, rota=rota, initial={"day": day})
    if request.method == "POST" and form.is_valid():
        start, end = form.times()
        try:
            _, report = services.duty_add(
                actor=request.user,
                rota=rota,
                person=form.cleaned_data["person"],
                start=start,
                end=end,
                kind=form.cleaned_data["kind"],
            )
            messages.success(request, f"Duty added. The rota was checked again: {len(report.breaches)} breaches.")
            return redirect(f"{rota_url(rota)}?week={selectors.monday_of(start.date()).isoformat()}")
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section="rotas", form=form, title=f"Add a duty to {rota}")


def member_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    form = MemberForm(request.POST or None, rota=rota)
    if request.method == "POST" and form.is_valid():
        try:
            services.member_add(actor=request.user, rota=rota, **form.cleaned_data)
            return redirect(rota_url(rota))
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section="rotas", form=form, title=f"Add a doctor to {rota}")


@require_POST
def duty_delete(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    duty = get_object_or_404(Duty.objects.select_related("rota"), trust=trust, pk=pk)
    rota, week = duty.rota, selectors.monday_of(timezone.localtime(duty.start).date())
    report = services.duty_delete(actor=request.user, duty=duty)
    messages.success(request, f"Duty removed. The rota was checked again: {len(report.breaches)} breaches.")
    return redirect(f"{rota_url(rota)}?week={week.isoformat()}")
