"""Pages for the board's view: metrics with their SPC charts, the medical director's board report, meetings with
their decisions and actions, the action log and the register of external bodies."""

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
from medlead.core.params import int_param
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, require
from medlead.core.stats import funnel_svg
from medlead.core.views import form_flow
from medlead.governance import selectors, services
from medlead.governance.forms import (
    ActionForm,
    ActionUpdateForm,
    BodyForm,
    ContactForm,
    DecisionForm,
    EngagementForm,
    MeetingForm,
    MetricForm,
    NarrativeForm,
    PaperForm,
    RebaseForm,
    ValueForm,
)
from medlead.governance.models import Action, BoardReport, ExternalBody, Meeting, Metric, ReportStatus
from medlead.organisation.selectors import trust_for, visible_trusts

SECTION = "board"


def _form(request: HttpRequest, **kwargs: Any) -> HttpResponse:
    return form_flow(request, section=SECTION, **kwargs)


# ------------------------------------------------------------------------------------------------- metrics


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    views = selectors.metric_views(trust=trust)
    names = services.section_names()
    sections = [(name, [v for v in views if v.metric.section == code]) for code, name in names.items()]
    meetings = can(request.user, Perm.VIEW_MEETINGS, trust)
    return render(
        request,
        "governance/home.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "sections": [(name, vs) for name, vs in sections if vs],
            "can_manage": can(request.user, Perm.MANAGE_METRICS, trust),
            "meetings": Meeting.objects.filter(trust=trust).prefetch_related("reports")[:6] if meetings else [],
            "can_meetings": meetings,
            "can_external": can(request.user, Perm.VIEW_EXTERNAL, trust),
            "overdue": selectors.actions_for(actor=request.user, trust=trust, today=today())
            .filter(due__lt=today())
            .count(),
        },
    )


def compare(request: HttpRequest, trust_code: str) -> HttpResponse:
    """Funnel plots across specialties, with 95% and 99.8% limits: which differ by more than chance."""
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    # a regional (or national) user compares the trusts of this trust's region that they may see
    region = visible_trusts(request.user).filter(region_id=trust.region_id) if trust.region_id else None
    peers = [t for t in region.order_by("name")[:500] if can(request.user, Perm.VIEW_METRICS, t)] if region else []
    across = request.GET.get("across") == "trusts" and len(peers) > 1
    comparisons = selectors.specialty_funnels(trust=trust, today=today(), trusts=peers if across else None)
    return render(
        request,
        "governance/compare.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "across": across,
            "can_compare_trusts": len(peers) > 1,
            "comparisons": [
                (c, funnel_svg(c.funnel, title=c.title, counting=c.counting)) for c in comparisons if c.funnel.points
            ],
        },
    )


def _metric(trust: Any, code: str) -> Metric:
    return get_object_or_404(Metric.objects.select_related("owner"), trust=trust, code=code)


def metric(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_METRICS)
    m = _metric(trust, code)
    view = selectors.metric_views(trust=trust, metrics=Metric.objects.filter(trust=trust, pk=m.pk))[0]
    chart = view.chart.as_dict() if view.chart else None
    return render(
        request,
        "governance/metric.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "m": m,
            "view": view,
            "chart": chart,
            "svg": xmr_svg(chart, title=m.name, unit=m.unit, target=m.target) if chart else "",
            "actions": m.actions.select_related("owner").order_by("due")
            if can(request.user, Perm.VIEW_MEETINGS, trust)
            else [],
            "can_manage": can(request.user, Perm.MANAGE_METRICS, m),
            "rules": selectors.RULE_WORDS,
        },
    )


def metric_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    return _form(
        request,
        trust=trust,
        form=MetricForm(request.POST or None, trust=trust),
        title="Add a metric",
        save=lambda d: services.metric_create(actor=request.user, trust=trust, **d),
        done=lambda m: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )


def value_add(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    m = _metric(trust, code)
    if m.origin == "computed":
        raise Http404  # medlead records these itself
    return _form(
        request,
        trust=trust,
        form=ValueForm(request.POST or None),
        title=f"Add or correct a value: {m.name}",
        save=lambda d: services.value_record(actor=request.user, metric=m, on=d["on"], value=d["value"]),
        done=lambda _: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )


def rebase_add(request: HttpRequest, trust_code: str, code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_METRICS)
    m = _metric(trust, code)
    return _form(
        request,
        trust=trust,
        form=RebaseForm(request.POST or None),
        title=f"Recalculate the limits after a change: {m.name}",
        save=lambda d: services.rebase_add(actor=request.user, metric=m, **d),
        done=lambda _: redirect("governance:metric", trust_code=trust.code, code=m.code),
    )


# ------------------------------------------------------------------------------------------------- meetings


def meetings(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_MEETINGS)
    return render(
        request,
        "governance/meetings.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "meetings": Meeting.objects.filter(trust=trust).select_related("committee")[:200],
            "can_manage": can(request.user, Perm.MANAGE_MEETINGS, trust),
        },
    )


def meeting_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    return _form(
        request,
        trust=trust,
        form=MeetingForm(request.POST or None, trust=trust),
        title="Add a meeting",
        save=lambda d: services.meeting_create(actor=request.user, trust=trust, **d),
        done=lambda mt: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def _meeting(trust: Any, pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("committee"), trust=trust, pk=pk)


def meeting(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_MEETINGS)
    mt = _meeting(trust, pk)
    return render(
        request,
        "governance/meeting.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "mt": mt,
            "papers": mt.papers.select_related("presented_by"),
            "decisions": mt.decisions.prefetch_related("actions__owner"),
            "actions": mt.actions.select_related("owner", "metric"),
            "reports": mt.reports.all(),
            "today": today(),
            "can_manage": can(request.user, Perm.MANAGE_MEETINGS, trust),
            "can_report": can(request.user, Perm.EDIT_BOARD_REPORT, BoardReport(trust=trust, meeting=mt)),
        },
    )


def paper_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = _meeting(trust, pk)
    return _form(
        request,
        trust=trust,
        form=PaperForm(request.POST or None, trust=trust),
        title=f"Add a paper to the {mt}",
        save=lambda d: services.paper_add(actor=request.user, meeting=mt, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def decision_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = _meeting(trust, pk)
    return _form(
        request,
        trust=trust,
        form=DecisionForm(request.POST or None),
        title=f"Record a decision of the {mt}",
        save=lambda d: services.decision_add(actor=request.user, meeting=mt, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def action_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_MEETINGS)
    mt = _meeting(trust, pk)
    decision = mt.decisions.filter(pk=int_param(request.GET.get("decision", "")) or 0).first()
    return _form(
        request,
        trust=trust,
        form=ActionForm(request.POST or None, trust=trust),
        title=f"Add an action from the {mt}",
        save=lambda d: services.action_add(actor=request.user, trust=trust, meeting=mt, decision=decision, **d),
        done=lambda _: redirect("governance:meeting", trust_code=trust.code, pk=mt.pk),
    )


def actions(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The action log: overdue first. Everyone sees the actions they own; the board's readers see them all."""
    trust = trust_for(request.user, trust_code)
    mine = request.GET.get("mine") == "1"
    closed = request.GET.get("closed") == "1"
    qs = selectors.actions_for(actor=request.user, trust=trust, today=today(), mine=mine, open_only=not closed)
    return render(
        request,
        "governance/actions.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "actions": qs[:500],
            "mine": mine,
            "closed": closed,
            "today": today(),
            "sees_all": can(request.user, Perm.VIEW_MEETINGS, trust),
        },
    )


def action(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(Action.objects.select_related("owner", "meeting", "metric", "decision"), trust=trust, pk=pk)
    require(request.user, Perm.VIEW_ACTION, a)
    form = ActionUpdateForm(request.POST or None, initial={"status": a.status, "progress": a.progress, "due": a.due})
    if request.method == "POST" and form.is_valid():
        try:
            services.action_update(actor=request.user, action=a, today=today(), **form.cleaned_data)
            messages.success(request, "Saved.")
            return redirect("governance:action", trust_code=trust.code, pk=a.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return render(
        request,
        "governance/action.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "a": a,
            "form": form,
            "today": today(),
            "can_update": can(request.user, Perm.UPDATE_ACTION, a),
        },
    )


# ------------------------------------------------------------------------------------------- board reports


def _report(request: HttpRequest, trust: Any, pk: int) -> BoardReport:
    return get_object_or_404(
        BoardReport.objects.select_related("meeting__trust", "meeting__committee", "issued_by"), trust=trust, pk=pk
    )


@require_POST
def report_start(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_BOARD_REPORTS)
    mt = _meeting(trust, pk)
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
    return _form(
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


# ------------------------------------------------------------------------------------------- external bodies


def external(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_EXTERNAL)
    return render(
        request,
        "governance/external.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "bodies": ExternalBody.objects.filter(trust=trust).prefetch_related("contacts")[:500],
            "can_manage": can(request.user, Perm.MANAGE_EXTERNAL, trust),
        },
    )


def body_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    return _form(
        request,
        trust=trust,
        form=BodyForm(request.POST or None),
        title="Add a body to the register",
        save=lambda d: services.body_add(actor=request.user, trust=trust, **d),
        done=lambda b: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )


def body(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return render(
        request,
        "governance/body.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "b": b,
            "contacts": b.contacts.all(),
            "engagements": b.engagements.select_related("by")[:200],
            "can_manage": can(request.user, Perm.MANAGE_EXTERNAL, b),
        },
    )


def contact_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return _form(
        request,
        trust=trust,
        form=ContactForm(request.POST or None),
        title=f"Add a contact at {b}",
        save=lambda d: services.contact_add(actor=request.user, body=b, **d),
        done=lambda _: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )


def engagement_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_EXTERNAL)
    b = get_object_or_404(ExternalBody, trust=trust, pk=pk)
    return _form(
        request,
        trust=trust,
        form=EngagementForm(request.POST or None, trust=trust),
        title=f"Record an engagement with {b}",
        save=lambda d: services.engagement_add(actor=request.user, body=b, **d),
        done=lambda _: redirect("governance:body", trust_code=trust.code, pk=b.pk),
    )
