"""Exception reports: the list, a doctor's new report, one report's page, and its two actions (agreeing the
outcome; the guardian's fine), each a view and a form of its own."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.policy import Forbidden, Perm, can, read, require, require_known
from medlead.core.query import strict
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import placements_out, trust_for
from medlead.rota import presenters, selectors, services
from medlead.rota.forms import ExceptionReportForm, ReportListQuery, ReportPrefillQuery
from medlead.rota.models import ExceptionReport
from medlead.rota.permissions import exception_reports_to_agree_filter


def report_list(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    asked = strict(ReportListQuery(request.GET))
    reports = selectors.exception_reports(user=request.user, trust=trust)
    to_agree = reports.filter(exception_reports_to_agree_filter(request.user, trust), status="submitted")
    sees_all = can(request.user, Perm.VIEW_ALL_EXCEPTION_REPORTS, trust)
    waiting = asked["waiting"] if asked["waiting"] == "me" or (asked["waiting"] == "outcome" and sees_all) else ""
    listed = {"me": to_agree, "outcome": reports.filter(status="submitted"), "": reports}[waiting]
    if waiting:  # a task's list: the longest waiting first, each with its age; a list of one opens that report
        listed = listed.order_by("created_at", "pk")
        first_two = list(listed.values_list("pk", flat=True)[:2])
        if len(first_two) == 1:
            return redirect("rota:report", trust_code=trust.code, pk=first_two[0])
    page = Paginator(listed, 50).get_page(asked["page"])
    person = getattr(request.user, "person", None)
    return render(
        request,
        "rota/reports.jinja",
        {
            "current_trust": trust,
            "section": "rotas",
            "page": page,
            "waiting": waiting,
            "today": dates.today(),
            "to_agree": to_agree.count(),
            "can_submit": person is not None
            and person.trust_id == trust.pk
            and can(request.user, Perm.SUBMIT_EXCEPTION_REPORT, person),
            "sees_all": sees_all,
            # a lead employer's guardian also oversees its placed resident doctors' reports (issue 34)
            "places_doctors": sees_all and placements_out(trust=trust).exists(),
        },
    )


def report_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    doctor = getattr(request.user, "person", None)
    if doctor is None or doctor.trust_id != trust.pk:
        raise Forbidden(Perm.SUBMIT_EXCEPTION_REPORT)
    require(request.user, Perm.SUBMIT_EXCEPTION_REPORT, doctor)
    # a link may fill in the date, the rota and the kind (My rota's "Report extra hours" on a past shift)
    prefill = {} if request.method == "POST" else strict(ReportPrefillQuery(request.GET, doctor=doctor))
    initial = {name: value for name, value in prefill.items() if value}
    form = ExceptionReportForm(request.POST or None, doctor=doctor, initial=initial)
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


def _report(request: HttpRequest, trust: Trust, pk: int) -> ExceptionReport:
    """The report, for those who may read it; 404 for everyone else, as for a report that does not exist. A lead
    employer's pages open its placed doctors' reports at their hosts that their placement sends to it."""
    report = selectors.report_reaching(trust=trust, pk=pk)  # its own, or a placed doctor's at their host
    if report is None:
        raise Http404("No such exception report.")
    require_known(request.user, report, Perm.VIEW_EXCEPTION_REPORT)
    return report


def _render(request: HttpRequest, trust: Trust, report: ExceptionReport, posted: Any = None) -> HttpResponse:
    """The report's page, its read audited; with the form just posted and its errors, if any."""
    read(request.user, Perm.VIEW_EXCEPTION_REPORT, report, why="exception report read")
    if posted is not None:
        report.refresh_from_db()  # as saved: a refused change left nothing behind
    context = presenters.report_page(actor=request.user, trust=trust, report=report, posted=posted)
    return render(request, "rota/report.jinja", context)


@require_safe  # the page is read; its actions post to views of their own
def report_detail(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return _render(request, trust, _report(request, trust, pk))


def _act(
    request: HttpRequest, trust: Trust, report: ExceptionReport, name: str, form: forms.Form, save: Any, saved: Any
) -> HttpResponse:
    return act(
        request,
        form,
        save=save,
        done=lambda _: redirect("rota:report", trust_code=trust.code, pk=report.pk),
        page=lambda bound: _render(request, trust, report, (name, bound)),
        saved=saved,
    )


@require_POST
def report_outcome(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Agree the outcome of a report: its supervisor, or the medical workforce team under version 13."""
    trust = trust_for(request.user, trust_code)
    report = _report(request, trust, pk)
    require(request.user, Perm.AGREE_EXCEPTION_OUTCOME, report)
    return _act(
        request,
        trust,
        report,
        "outcome",
        presenters.outcome_form(report, request.POST),
        lambda d: services.report_agree_outcome(actor=request.user, report=report, **d),
        "Outcome agreed; the doctor has been told.",
    )


def _fine(form: forms.Form) -> dict[str, Any]:
    d = form.cleaned_data
    return {
        "category": d["fine_category"],
        "amount": d["fine_amount"],
        "hours": d["fine_hours"],
        "hourly_rate": d["fine_hourly_rate"],
        "note": d["fine_note"],
    }


@require_POST
def report_fine_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The guardian's fine, checked: its calculation and split to confirm, or the report's page with the form (its
    errors, or the answers to change). Nothing is saved here."""
    trust = trust_for(request.user, trust_code)
    report = _report(request, trust, pk)
    require(request.user, Perm.FLAG_FINES, report)
    form = presenters.fine_form(report, request.POST)
    if changing(request):
        return _render(request, trust, report, ("fine", form))
    terms: dict[str, Any] = {}
    if form.is_valid():
        try:
            terms = services.fine_terms(report=report, **_fine(form))
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return _render(request, trust, report, ("fine", form))
    read(request.user, Perm.VIEW_EXCEPTION_REPORT, report, why="exception report read")
    page = presenters.fine_check(trust=trust, report=report, form=form, terms=terms)
    fined = bool(page["working"])
    return check_page(
        request,
        trust=trust,
        section="rotas",
        doing="record the fine",
        caption=f"Exception report: {report.doctor.display_name}, {report.occurred_on:%-d %B %Y}",
        rows=page["rows"],
        form=form,
        confirm_url=reverse("rota:report_fine", kwargs={"trust_code": trust.code, "pk": report.pk}),
        change_url=reverse("rota:report_fine_check", kwargs={"trust_code": trust.code, "pk": report.pk}),
        change_posts=True,
        says=[
            "Confirming records the fine on this report. It is counted in your quarterly report to the board for "
            "the quarter of the event."
        ]
        if fined
        else ["Confirming records that this report carries no fine."],
        button="Confirm the fine" if fined else "Confirm: no fine",
        back=(reverse("rota:report", kwargs={"trust_code": trust.code, "pk": report.pk}), "Back to the report"),
        template="rota/fine_check.jinja",
        extra={"report": report, "working": page["working"], "fine_rates_default": page["fine_rates_default"]},
    )


@require_POST
def report_fine(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The guardian's fine (or its clearing), confirmed on the check-your-answers page (``report_fine_check``)."""
    trust = trust_for(request.user, trust_code)
    report = _report(request, trust, pk)
    require(request.user, Perm.FLAG_FINES, report)
    form = presenters.fine_form(report, request.POST)
    return act(
        request,
        form,
        save=lambda d: services.report_flag_fine(actor=request.user, report=report, **_fine(form)),
        done=lambda _: redirect("rota:fine_recorded", trust_code=trust.code, pk=report.pk),
        page=lambda bound: _render(request, trust, report, ("fine", bound)),
        saved="",
    )


@require_safe
def fine_recorded(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation of a fine: what was recorded and what happens next."""
    trust = trust_for(request.user, trust_code)
    report = _report(request, trust, pk)
    require(request.user, Perm.FLAG_FINES, report)
    read(request.user, Perm.VIEW_EXCEPTION_REPORT, report, why="exception report read")
    back = [(reverse("rota:report", kwargs={"trust_code": trust.code, "pk": report.pk}), "Back to the report")]
    if not report.fine_category:
        return done_page(
            request,
            trust=trust,
            section="rotas",
            title="No fine",
            summary="This report carries no fine.",
            next_steps=[
                "Nothing is charged for it, and your quarterly report to the board does not count it as a fine."
            ],
            links=back,
        )
    doctor = report.doctor.display_name
    fund = "goes to the guardian's fund, spent on resident doctors' education and facilities."
    steps = [
        f"£{report.fine_to_doctor:,.2f} is paid to {doctor} with their pay, and £{report.fine_to_guardian:,.2f} {fund}"
        if report.fine_to_doctor
        else f"£{report.fine_to_guardian:,.2f} {fund}"
    ]
    if report.fine_payer:
        steps.append(f"It is charged to: {report.fine_payer}. Tell medical staffing and the department so it is paid.")
    steps.append("The fine is counted in your quarterly report to the board for the quarter of the event.")
    name = selectors.fine_categories(on=report.occurred_on).get(report.fine_category, "")
    return done_page(
        request,
        trust=trust,
        section="rotas",
        title="Fine recorded",
        summary=f"£{report.fine_amount:,.2f}: {name} ({doctor}, {report.occurred_on:%-d %B %Y}).",
        next_steps=steps,
        links=back,
    )
