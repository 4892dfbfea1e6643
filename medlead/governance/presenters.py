"""What the board's larger pages show: the board's view by report section, and a board report with its charts,
each with what the reader may do, answered by the policy here so that the templates ask nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch, QuerySet
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from markupsafe import Markup

from medlead.core import kept
from medlead.core.charts import xmr_svg
from medlead.core.policy import Perm, can
from medlead.core.stats import funnel_svg
from medlead.governance import selectors, services
from medlead.governance.models import Action, BoardReport, Meeting, Metric, ReportStatus
from medlead.governance.selectors import Comparison
from medlead.organisation.models import Trust
from medlead.rulebook.unconfirmed import Unconfirmed

SECTION = "board"


def home_page(*, actor: Any, trust: Trust, today: dt.date) -> dict[str, Any]:
    """The board's view: each report section's metrics (sections without any left out), the latest meetings and
    how many of the reader's actions are overdue."""
    shown = kept.kept(("governance:sections", trust.pk, today), lambda: _sections(trust, today))
    meetings = can(actor, Perm.VIEW_MEETINGS, trust)
    return {
        "current_trust": trust,
        "section": SECTION,
        "sections": shown.sections,
        "can_manage": can(actor, Perm.MANAGE_METRICS, trust),
        "spc_notice": shown.notice,
        "meetings": Meeting.objects.filter(trust=trust).prefetch_related(
            Prefetch("reports", queryset=readable_reports(actor, trust, BoardReport.objects.all()))
        )[:6]
        if meetings
        else [],
        "can_meetings": meetings,
        "can_external": can(actor, Perm.VIEW_EXTERNAL, trust),
        "overdue": selectors.actions_for(actor=actor, trust=trust, today=today).filter(due__lt=today).count(),
    }


@dataclass(frozen=True)
class Sections:
    """The board's view of each report section's metrics, written once, and what is said beside the charts while a
    setting awaits the trust's confirmation."""

    sections: Markup
    notice: Unconfirmed


def _sections(trust: Trust, today: dt.date) -> Sections:
    charts = selectors.charts_on(trust, today)
    grouped = [
        (name, [v for v in charts.views if v.metric.section == code]) for code, name in services.section_names().items()
    ]
    shown = {"current_trust": trust, "sections": [(name, vs) for name, vs in grouped if vs]}
    return Sections(_written("governance/_sections.jinja", shown), charts.settings.notice)


@dataclass(frozen=True)
class MetricPage:
    """One metric's page as every reader sees it: its definition, its chart and its values, each written once (the
    table of a few dozen values is most of the page's cost), or why it has no chart; what is said beside the chart
    while a setting awaits the trust's confirmation (written with each request: its link is for those who may
    confirm); and the actions meant to move it."""

    metric: Metric
    summary: Markup
    chart: Markup
    values: Markup
    problem: str
    notice: Unconfirmed
    actions: list[Action]

    @property
    def charted(self) -> bool:
        return bool(self.chart)


def metric_page(*, trust: Trust, code: str, today: dt.date) -> MetricPage:
    """``MetricPage`` for the metric ``code`` of ``trust``, kept (``core.kept``) with the board's charts it is written
    from; ``Http404`` for a metric the trust does not have."""
    return kept.kept(("governance:metric", trust.pk, code, today), lambda: _metric_page(trust, code, today))


def _metric_page(trust: Trust, code: str, today: dt.date) -> MetricPage:
    charts = selectors.charts_on(trust, today)
    view = charts.of(code)
    if view is None:  # a metric no longer active is charted afresh
        metric = get_object_or_404(Metric, trust=trust, code=code)
        view = selectors.metric_views(
            trust=trust, metrics=Metric.objects.filter(pk=metric.pk), settings=charts.settings
        )[0]
    m = view.metric
    chart = view.chart.as_dict() if view.chart else None
    shown = {
        "m": m,
        "view": view,
        "chart": chart,
        "svg": xmr_svg(chart, title=m.name, unit=m.unit, target=m.target, frequency=m.frequency) if chart else "",
        "rules": selectors.rule_words(charts.settings.params),
    }
    return MetricPage(
        metric=m,
        summary=_written("governance/_metric_summary.jinja", shown),
        chart=_written("governance/_metric_chart.jinja", shown) if chart else Markup(""),
        values=_written("governance/_metric_values.jinja", shown) if chart else Markup(""),
        problem=view.problem,
        notice=charts.settings.notice,
        actions=charts.actions.get(m.pk, []),
    )


def _written(template: str, context: dict[str, Any]) -> Markup:
    """A partial template written once for every reader (it asks nothing of who reads it)."""
    return Markup(render_to_string(template, context))  # noqa: S704 - the template escaped what it wrote


def comparisons(*, trust: Trust, today: dt.date, trusts: list[Trust] | None) -> list[tuple[Comparison, str]]:
    """Each funnel plot across the trust's specialties, or across ``trusts``, with its SVG: the same for everyone
    comparing the same trusts, so kept (``core.kept``) until an appraisal or a job plan changes."""

    def build() -> list[tuple[Comparison, str]]:
        found = selectors.specialty_funnels(trust=trust, today=today, trusts=trusts)
        return [(c, funnel_svg(c.funnel, title=c.title, counting=c.counting)) for c in found if c.funnel.points]

    key = ("governance:compare", trust.pk, today, tuple(t.pk for t in trusts) if trusts else None)
    return kept.kept(key, build)


def readable_reports(actor: Any, trust: Trust, reports: QuerySet[BoardReport]) -> QuerySet[BoardReport]:
    """The reports ``actor`` may open: every version for the medical director's office, issued ones for the board
    (the same rule as ``Perm.VIEW_BOARD_REPORT``, asked of a draft of this trust)."""
    if can(actor, Perm.VIEW_BOARD_REPORT, BoardReport(trust=trust, status=ReportStatus.DRAFT)):
        return reports
    return reports.filter(status=ReportStatus.ISSUED)


def _data_date(section: selectors.Section) -> dt.date | None:
    """The date of the latest value charted in a section: how recent its figures are."""
    dates = [m["chart"]["points"][-1]["date"] for m in section.metrics if m.get("chart") and m["chart"]["points"]]
    return dt.date.fromisoformat(max(dates)) if dates else None


def report_page(*, actor: Any, trust: Trust, report: BoardReport, today: dt.date) -> dict[str, Any]:
    """A board report, page and PDF alike: its sections with each metric's chart, and its versions; for a draft,
    the task list (each section with or without its narrative, and its figures' data date) before "Issue"."""
    sections = selectors.report_sections(report=report, today=today)
    # the charts' settings as they stood on the report's data date
    settings = selectors.spc_settings(trust, report.issued_on or today)
    svgs = {
        m["code"]: xmr_svg(
            m["chart"], title=m["name"], unit=m["unit"], target=m["target"], frequency=m.get("frequency", "monthly")
        )
        for s in sections
        for m in s.metrics
        if m["chart"]
    }
    tasks = [
        {
            "code": s.code,
            "name": s.name,
            "done": bool(s.narrative.strip()),
            "data_date": _data_date(s),
            "figures": len(s.metrics) + (1 if s.concerns is not None else 0),
        }
        for s in sections
    ]
    return {
        "current_trust": trust,
        "section": SECTION,
        "report": report,
        "sections": sections,
        "svgs": svgs,
        "spc_notice": settings.notice,
        "variation": selectors.VARIATION,
        "assurance": selectors.ASSURANCE,
        "versions": readable_reports(actor, trust, report.meeting.reports.order_by("version")),
        "can_edit": can(actor, Perm.EDIT_BOARD_REPORT, report),
        "tasks": tasks,
        "missing": [t["name"] for t in tasks if not t["done"]],
        "figures_on": report.issued_on or today,
    }
