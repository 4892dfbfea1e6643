"""The medical director's board report: a version per meeting, its narratives, its PDF and its issue."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from medlead.core.charts import xmr_svg
from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, require
from medlead.governance import selectors, services
from medlead.governance.forms import NarrativeForm
from medlead.governance.models import BoardReport, ReportStatus
from medlead.governance.views import SECTION, board_form
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


def _report_context(request: HttpRequest, trust: Any, report: BoardReport) -> dict[str, Any]:
    sections = selectors.report_sections(report=report, today=today())
    svgs = {
        m["code"]: xmr_svg(m["chart"], title=m["name"], unit=m["unit"], target=m["target"])
        for s in sections
        for m in s.metrics
        if m["chart"]
    }
    return {
        "current_trust": trust,
        "section": SECTION,
        "report": report,
        "sections": sections,
        "svgs": svgs,
        "variation": selectors.VARIATION,
        "assurance": selectors.ASSURANCE,
        "versions": report.meeting.reports.order_by("version"),
        "can_edit": can(request.user, Perm.EDIT_BOARD_REPORT, report),
    }


def report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    return render(request, "governance/report.jinja", _report_context(request, trust, _report(request, trust, pk)))


def report_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    context = _report_context(request, trust, report)
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
