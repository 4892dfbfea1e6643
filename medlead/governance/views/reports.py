"""The medical director's board report: a version per meeting, its narratives, its PDF and its issue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, require
from medlead.governance import presenters, services
from medlead.governance.forms import NarrativeForm
from medlead.governance.models import BoardReport, ReportStatus
from medlead.governance.views import board_form
from medlead.governance.views.meetings import find_meeting
from medlead.organisation.selectors import trust_for


def _report(request: HttpRequest, trust: Any, pk: int) -> BoardReport:
    return get_object_or_404(
        BoardReport.objects.select_related("meeting__trust", "meeting__committee", "issued_by"), trust=trust, pk=pk
    )


@require_POST
def report_start(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    mt = find_meeting(trust, pk)
    report = services.report_start(actor=request.user, meeting=mt)
    return redirect("governance:report", trust_code=trust.code, pk=report.pk)


def report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    context = presenters.report_page(actor=request.user, trust=trust, report=_report(request, trust, pk), today=today())
    return render(request, "governance/report.jinja", context)


def report_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    context = presenters.report_page(actor=request.user, trust=trust, report=report, today=today())
    name = f"medical-director-report-{report.meeting.on:%Y-%m-%d}-v{report.version}.pdf"
    return pdf_response(request, "governance/report_pdf.jinja", context, name, trust=trust)


def narrative_edit(request: HttpRequest, trust_code: str, pk: int, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    require(request.user, Perm.EDIT_BOARD_REPORT, report)
    names = services.section_names()
    if code not in names:
        raise Http404
    return board_form(
        request,
        trust=trust,
        form=NarrativeForm(request.POST or None, initial={"text": report.narratives.get(code, "")}),
        title=f"{names[code]}: the narrative",
        save=lambda d: services.narrative_set(actor=request.user, report=report, section=code, text=d["text"]),
        done=lambda _: redirect(
            reverse("governance:report", kwargs={"trust_code": trust.code, "pk": report.pk}) + f"#section-{code}"
        ),
    )


@require_POST
def report_issue(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    if report.status == ReportStatus.ISSUED:
        return redirect("governance:report", trust_code=trust.code, pk=report.pk)  # a second click: already done
    try:
        services.report_issue(actor=request.user, report=report, today=today())
        messages.success(request, "The report is issued. Its figures and narratives are kept as the board saw them.")
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    return redirect("governance:report", trust_code=trust.code, pk=report.pk)
