from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from medlead.core import dates
from medlead.core.charts import bar_chart
from medlead.core.params import date_param, int_param, year_param
from medlead.core.pdf import pdf_response
from medlead.core.policy import Forbidden, Perm, can, read, require
from medlead.core.views import form_page
from medlead.organisation.models import Grade
from medlead.organisation.selectors import trust_for
from medlead.rota import selectors, services
from medlead.rota.forms import (
    DutyForm,
    ExceptionReportForm,
    FineForm,
    GuardianQuarterForm,
    MemberForm,
    OutcomeForm,
)
from medlead.rota.models import Duty, ExceptionReport, GuardianQuarter, ReportKind, Rota
from medlead.rota.permissions import exception_reports_to_agree_filter


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
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    day = date_param(request.GET.get("week"))
    week = selectors.monday_of(day) if day else selectors.first_week(rota)
    hours = selectors.hours_by_doctor(rota=rota)
    chart = bar_chart(
        [(h["person"].display_name, h["average"]) for h in hours],
        title=f"Average weekly hours on {rota.name}",
        unit=" h",
        limit=max((h["limit"] for h in hours), default=None),
        limit_label=f"{max((h['limit'] for h in hours), default=0):g} h limit (full time)",
    )
    return render(
        request,
        "rota/rota.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "rota": rota,
            "grid": selectors.week_grid(rota=rota, week=week),
            "week": week,
            "hours": hours,
            "chart": chart,
            "all_breaches": rota.breaches.filter(warning=False).count(),
            "breach_list": selectors.breach_list(rota=rota),
            "warnings": rota.breaches.filter(warning=True).select_related("person"),
            "can_manage": can(request.user, Perm.MANAGE_ROTAS, trust),
        },
    )


def duty_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    form = DutyForm(request.POST or None, rota=rota, initial={"day": request.GET.get("day")})
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


def rota_url(rota: Rota) -> str:
    from django.urls import reverse

    return reverse("rota:rota", kwargs={"trust_code": rota.trust.code, "pk": rota.pk})


# ------------------------------------------------------------------------------------ exception reports


def report_list(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    reports = selectors.exception_reports(user=request.user, trust=trust)
    to_agree = reports.filter(exception_reports_to_agree_filter(request.user, trust), status="submitted")
    waiting = request.GET.get("waiting") == "me"
    page = Paginator(to_agree if waiting else reports, 50).get_page(request.GET.get("page"))
    person = getattr(request.user, "person", None)
    return render(
        request,
        "rota/reports.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "page": page,
            "waiting": waiting,
            "to_agree": to_agree.count(),
            "can_submit": person is not None
            and person.trust_id == trust.pk
            and can(request.user, Perm.SUBMIT_EXCEPTION_REPORT, person),
            "sees_all": can(request.user, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust),
        },
    )


def report_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    doctor = getattr(request.user, "person", None)
    if doctor is None or doctor.trust_id != trust.pk:
        raise Forbidden(Perm.SUBMIT_EXCEPTION_REPORT)
    require(request.user, Perm.SUBMIT_EXCEPTION_REPORT, doctor)
    form = ExceptionReportForm(request.POST or None, doctor=doctor)
    if request.method == "POST" and form.is_valid():
        fields = ("rota", "occurred_on", "kind", "extra_minutes", "description", "preferred", "share_with_supervisor")
        data = {k: form.cleaned_data[k] for k in fields}
        try:
            report = services.report_submit(
                actor=request.user, doctor=doctor, supervisor=form.cleaned_data["supervisor"], **data
            )
            messages.success(request, f"Your exception report was sent to {report.get_route_display().lower()}.")
            return redirect("rota:report", trust_code=trust.code, pk=report.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(request, trust=trust, section="rotas", form=form, title="Submit an exception report")


def report_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    report = get_object_or_404(
        ExceptionReport.objects.select_related("doctor", "supervisor", "rota", "trust"), trust=trust, pk=pk
    )
    read(request.user, Perm.VIEW_EXCEPTION_REPORT, report, why="exception report read")
    can_agree = can(request.user, Perm.AGREE_EXCEPTION_OUTCOME, report)
    can_fine = can(request.user, Perm.FLAG_FINES, trust)
    version = selectors.rules_version(report.rules_version)
    rules_name = version["name"]
    tiers = (
        {t["code"]: t["name"] for t in version.get("verification_tiers", [])} if report.kind == ReportKind.HOURS else {}
    )
    categories = selectors.fine_categories(on=report.occurred_on)
    outcome_form = OutcomeForm(request.POST if "outcome" in request.POST else None, tiers=tiers) if can_agree else None
    fine_form = (
        FineForm(
            request.POST if "fine_category" in request.POST else None,
            categories=categories,
            initial={
                "fine_category": report.fine_category,
                "fine_amount": report.fine_amount if not report.fine_hours else None,
                "fine_hours": report.fine_hours,
                "fine_hourly_rate": report.fine_hourly_rate,
                "fine_note": report.fine_note,
            },
        )
        if can_fine
        else None
    )
    if request.method == "POST":
        try:
            if outcome_form is not None and outcome_form.is_bound and outcome_form.is_valid():
                services.report_agree_outcome(actor=request.user, report=report, **outcome_form.cleaned_data)
                messages.success(request, "Outcome agreed; the doctor has been told.")
                return redirect("rota:report", trust_code=trust.code, pk=report.pk)
            if fine_form is not None and fine_form.is_bound and fine_form.is_valid():
                services.report_flag_fine(
                    actor=request.user,
                    report=report,
                    category=fine_form.cleaned_data["fine_category"],
                    amount=fine_form.cleaned_data["fine_amount"],
                    hours=fine_form.cleaned_data["fine_hours"],
                    hourly_rate=fine_form.cleaned_data["fine_hourly_rate"],
                    note=fine_form.cleaned_data["fine_note"],
                )
                messages.success(request, "Fine recorded." if fine_form.cleaned_data["fine_category"] else "No fine.")
                return redirect("rota:report", trust_code=trust.code, pk=report.pk)
            if (outcome_form is None or not outcome_form.is_bound) and (fine_form is None or not fine_form.is_bound):
                raise PermissionDenied
        except ValidationError as exc:
            report.refresh_from_db()
            target = outcome_form if outcome_form is not None and outcome_form.is_bound else fine_form
            if target is not None:
                target.add_error(None, exc)
    return render(
        request,
        "rota/report.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "report": report,
            "outcome_form": outcome_form,
            "fine_form": fine_form,
            "fine_name": categories.get(report.fine_category, ""),
            "rules_name": rules_name,
            "verified_by": tiers.get(report.hours_verified_by, ""),
        },
    )


# ------------------------------------------------------------------------------------ guardian's report


def guardian_report(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_GUARDIAN_REPORT)
    today = dates.today()
    year_text, _, quarter_text = request.GET.get("quarter", "").partition("-Q")
    year, quarter = year_param(year_text), int_param(quarter_text, lo=1, hi=4)
    if year is None or quarter is None:
        year, quarter = selectors.quarter_of(today)
    form = None
    if can(request.user, Perm.FLAG_FINES, trust):
        form = GuardianQuarterForm(
            request.POST if request.method == "POST" else None,
            instance=GuardianQuarter.objects.filter(trust=trust, year=year, quarter=quarter).first()
            or GuardianQuarter(trust=trust, year=year, quarter=quarter),
        )
        if request.method == "POST" and form.is_valid():
            fields = {f: form.cleaned_data[f] for f in form.Meta.fields}
            services.guardian_quarter_save(actor=request.user, trust=trust, year=year, quarter=quarter, **fields)
            messages.success(request, "Saved for the board report.")
            return redirect(f"{request.path}?quarter={year}-Q{quarter}")
    elif request.method == "POST":
        raise Forbidden(Perm.FLAG_FINES)
    data = selectors.guardian_report(trust=trust, year=year, quarter=quarter)
    charts = {
        "specialty": bar_chart(data["by_specialty"][:12], title="Exception reports by specialty"),
        "kind": bar_chart(data["by_kind"], title="Exception reports by type"),
        "trend": bar_chart([(t["label"], t["reports"]) for t in data["trend"]], title="Exception reports by quarter"),
    }
    context = {
        "current_trust": trust,
        "section": "rotas",
        "r": data,
        "charts": charts,
        "quarters": [
            (f"{y}-Q{q}", selectors.quarter_label(y, q))
            for y, q in selectors.previous_quarters(*selectors.quarter_of(today), 8)
        ],
        "selected": f"{year}-Q{quarter}",
        "form": form,
    }
    if request.GET.get("format") == "pdf":
        from medlead.structure.selectors import holder_name

        context["guardian_name"] = holder_name(trust=trust, post_type="guardian_of_safe_working_hours")
        return pdf_response(
            request,
            "rota/guardian_report_pdf.jinja",
            context,
            f"guardian-report-{trust.code}-{year}-Q{quarter}.pdf",
            trust=trust,
        )
    return render(request, "rota/guardian_report.jinja", context)


# ------------------------------------------------------------------------------------------- rota generation


def generate(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Generate a rota for its doctors: the plan, leave and requests; the request to generate, its progress and a
    stop; the result with every unmet cover or request explained, and a re-solve that keeps the first weeks."""
    from medlead.rota import generation
    from medlead.rota.forms import AbsenceForm, AgainForm, PlanForm, RequestForm, ShiftNeedsForm
    from medlead.rota.models import RosterPlan

    trust = trust_for(request.user, trust_code, Perm.MANAGE_ROTAS)
    rota = get_object_or_404(Rota, trust=trust, pk=pk)
    plan = RosterPlan.objects.filter(trust=trust, rota=rota).first()
    action = request.POST.get("action", "") if request.method == "POST" else ""
    today = dates.today()
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    plan_initial = (
        {"starts_on": plan.starts_on, "weeks": plan.weeks, "template": plan.template, "time_limit": plan.time_limit}
        if plan
        else {"starts_on": next_monday, "weeks": 8, "time_limit": 60}
    )
    forms_: dict[str, Any] = {"plan": PlanForm(request.POST if action == "plan" else None, initial=plan_initial)}
    if plan is not None:
        forms_["absence"] = AbsenceForm(request.POST if action == "absence" else None, rota=rota)
        forms_["request"] = RequestForm(request.POST if action == "request" else None, rota=rota, shifts=plan.shifts)
        forms_["again"] = AgainForm(request.POST if action == "again" else None)
        needs = {
            s["code"]: ShiftNeedsForm(
                request.POST if action == f"needs-{s['code']}" else None,
                prefix=s["code"],
                initial={
                    "needed": ", ".join(str(n) for n in s["needed"]),
                    "grades": s.get("grades", []),
                },
            )
            for s in plan.shifts
        }
        forms_ |= {f"needs-{code}": form for code, form in needs.items()}
    errors: list[str] = []
    if action:
        try:
            if action in forms_ and forms_[action].is_valid():
                data = forms_[action].cleaned_data
                if action == "plan":
                    generation.plan_save(actor=request.user, rota=rota, **data)
                elif action == "absence" and plan is not None:
                    generation.absence_add(actor=request.user, plan=plan, **data)
                elif action == "request" and plan is not None:
                    generation.request_add(actor=request.user, plan=plan, **data)
                elif action.startswith("needs-") and plan is not None:
                    generation.shift_set(actor=request.user, plan=plan, code=action.removeprefix("needs-"), **data)
                elif action == "again" and plan is not None:
                    generation.generate_request(actor=request.user, plan=plan, locked_weeks=data["locked_weeks"])
                    plan.refresh_from_db()
                    messages.success(
                        request, "The rota is being generated." if plan.running else "The rota is generated."
                    )
                    return redirect("rota:generate", trust_code=trust.code, pk=rota.pk)
                messages.success(request, "Saved.")
                return redirect("rota:generate", trust_code=trust.code, pk=rota.pk)
            if action == "generate" and plan is not None:
                plan = generation.generate_request(actor=request.user, plan=plan)
                plan.refresh_from_db()  # generated already where the task queue runs in the request (development)
                messages.success(request, "The rota is being generated." if plan.running else "The rota is generated.")
                return redirect("rota:generate", trust_code=trust.code, pk=rota.pk)
            if action == "stop" and plan is not None:
                generation.stop(actor=request.user, plan=plan)
                messages.success(request, "Stopping: the best rota found so far is kept.")
                return redirect("rota:generate", trust_code=trust.code, pk=rota.pk)
        except ValidationError as exc:
            if action in forms_:
                forms_[action].add_error(None, exc)
            else:
                errors = exc.messages
    result = plan.result if plan else {}
    grid: list[dict[str, Any]] = []
    if plan is not None and result.get("assignment"):
        people = {str(m.person_id): m.person for m in rota.members.select_related("person")}
        cells: dict[str, list[str]] = {pid: [""] * (plan.weeks * 7) for pid in people}
        for doctor, day, code in result["assignment"]:
            if doctor in cells:
                cells[doctor][day] = code
        grid = [{"person": people[pid], "cells": cells[pid]} for pid in sorted(people, key=lambda p: str(people[p]))]
    running = plan is not None and plan.running
    return render(
        request,
        "rota/generate.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "rota": rota,
            "plan": plan,
            "forms": forms_,
            "errors": errors,
            "result": result,
            "grid": grid,
            "days": [plan.day(i) for i in range(plan.weeks * 7)] if plan else [],
            "running": running,
            "absences": plan.absences.select_related("person") if plan else [],
            "requests": plan.requests.select_related("person") if plan else [],
            "shift_names": {s["code"]: s["name"] for s in plan.shifts} if plan else {},
            "grade_names": dict(Grade.choices),
        },
    )
