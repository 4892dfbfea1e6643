"""The medical director's board report: a version per meeting, read as a task list (each section with or without
its narrative, the figures' data date, then "Issue"), its narratives, its PDF, and its issue, checked and confirmed
(issue 31). A draft is seen only by the medical director's office: anyone else is answered 404."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, require, require_known
from medlead.core.views import check_page, done_page
from medlead.governance import presenters, services
from medlead.governance.forms import IssueForm, NarrativeForm
from medlead.governance.models import BoardReport
from medlead.governance.views import SECTION, board_form
from medlead.governance.views.meetings import find_meeting
from medlead.organisation.selectors import trust_for


def _report(request: HttpRequest, trust: Any, pk: int) -> BoardReport:
    report = get_object_or_404(
        BoardReport.objects.select_related("meeting__trust", "meeting__committee", "issued_by"), trust=trust, pk=pk
    )
    require_known(request.user, report, Perm.VIEW_BOARD_REPORT)  # a draft: its authors' office only
    return report


def _url(name: str, report: BoardReport, **kwargs: Any) -> str:
    return reverse(f"governance:{name}", kwargs={"trust_code": report.meeting.trust.code, "pk": report.pk, **kwargs})


@require_POST
def report_start(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    mt = find_meeting(trust, pk)
    report = services.report_start(actor=request.user, meeting=mt)
    return redirect("governance:report", trust_code=trust.code, pk=report.pk)


def _page(request: HttpRequest, trust: Any, report: BoardReport, errors: list[str] | None = None) -> HttpResponse:
    context = presenters.report_page(actor=request.user, trust=trust, report=report, today=today())
    return render(request, "governance/report.jinja", context | {"errors": errors or []})


@require_safe
def report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    return _page(request, trust, _report(request, trust, pk))


def report_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    context = presenters.report_page(actor=request.user, trust=trust, report=report, today=today())
    draft = "" if report.issued else "-DRAFT"
    name = f"medical-director-report-{report.meeting.on:%Y-%m-%d}-v{report.version}{draft}.pdf"
    return pdf_response(request, "governance/report_pdf.jinja", context, name, trust=trust)


def narrative_edit(request: HttpRequest, trust_code: str, pk: int, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    require(request.user, Perm.EDIT_BOARD_REPORT, report)
    names = services.section_names()
    if code not in names:
        raise Http404
    back = _url("report", report) + "#tasks"
    return board_form(
        request,
        trust=trust,
        form=NarrativeForm(request.POST or None, initial={"text": report.narratives.get(code, "")}),
        title=f"{names[code]}: the narrative",
        save=lambda d: services.narrative_set(actor=request.user, report=report, section=code, text=d["text"]),
        done=lambda _: redirect(back),
        saved=f"The narrative for {names[code]} is saved.",
        back=(back, "Back to the report"),
        button="Save the narrative",
    )


@require_safe
def report_issue(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Issuing, checked before it is done; or, while a section has no narrative, the report with what is missing."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    require(request.user, Perm.EDIT_BOARD_REPORT, report)
    missing = services.missing_narratives(report)
    if missing:
        return _page(request, trust, report, [services.cannot_issue(missing)])
    form = IssueForm({"version": report.version})
    form.is_valid()
    day = today()
    names = services.section_names()
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="issue the report",
        caption=f"Medical director's report to the {report.meeting.body_name.lower()}, {report.meeting.on:%-d %B %Y}",
        rows=[
            ("Meeting", f"{report.meeting.body_name}, {report.meeting.on:%-d %B %Y}"),
            ("Version", str(report.version)),
            ("Sections", f"{len(names)}, each with its narrative"),
            ("Figures", f"As they stand today, {day:%-d %B %Y}: values dated on or before today"),
        ],
        form=form,
        confirm_url=_url("report_issue_confirm", report),
        change_url=_url("report", report),
        change_text="Back to the report",
        says=[
            f"Version {report.version} is issued to the board: its figures and narratives are kept as they stand "
            f"today, {day:%-d %B %Y}, and cannot be changed after that. A change is a new version.",
            "Board members can then open it and its PDF from the meeting's page; until then only the medical "
            "director's office sees it.",
        ],
        button="Issue the report to the board",
    )


@require_POST
def report_issue_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    if report.issued:
        return redirect(_url("report_issued", report))  # a second click: already done
    require(request.user, Perm.EDIT_BOARD_REPORT, report)
    form = IssueForm(request.POST)
    if not form.is_valid() or form.cleaned_data["version"] != report.version:
        return _page(request, trust, report, ["This page was out of date: nothing was issued."])
    try:
        services.report_issue(actor=request.user, report=report, today=today())
    except ValidationError as exc:
        return _page(request, trust, report, exc.messages)
    return redirect(_url("report_issued", report))


@require_safe
def report_issued(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    report = _report(request, trust, pk)
    if not report.issued:
        return redirect(_url("report", report))
    assert report.issued_on is not None
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Report issued to the board",
        summary=f"Version {report.version} of the medical director's report to the {report.meeting.body_name.lower()}, "
        f"{report.meeting.on:%-d %B %Y}, is issued, with the figures as they stood on {report.issued_on:%-d %B %Y}.",
        next_steps=[
            "Board members can now open it and its PDF from the meeting's page. Send the PDF for the board pack.",
            "It cannot be changed. If something must change before the meeting, start a new version from the "
            "meeting's page: it begins with these narratives and today's figures.",
        ],
        links=[
            (_url("report", report), "Read the issued report"),
            (_url("report_pdf", report), "Download the report as a PDF"),
            (
                reverse("governance:meeting", kwargs={"trust_code": trust.code, "pk": report.meeting.pk}),
                "Back to the meeting",
            ),
        ],
    )
