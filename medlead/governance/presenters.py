"""What the board's larger pages show: the board's view by report section, and a board report with its charts,
each with what the reader may do, answered by the policy here so that the templates ask nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from medlead.core.charts import xmr_svg
from medlead.core.policy import Perm, can
from medlead.governance import selectors, services
from medlead.governance.models import BoardReport, Meeting
from medlead.organisation.models import Trust

SECTION = "board"


def home_page(*, actor: Any, trust: Trust, today: dt.date) -> dict[str, Any]:
    """The board's view: each report section's metrics (sections without any left out), the latest meetings and
    how many of the reader's actions are overdue."""
    settings = selectors.spc_settings(trust, today)
    views = selectors.metric_views(trust=trust, settings=settings)
    sections = [
        (name, [v for v in views if v.metric.section == code]) for code, name in services.section_names().items()
    ]
    meetings = can(actor, Perm.VIEW_MEETINGS, trust)
    return {
        "current_trust": trust,
        "section": SECTION,
        "sections": [(name, vs) for name, vs in sections if vs],
        "can_manage": can(actor, Perm.MANAGE_METRICS, trust),
        "spc_notice": settings.notice,
        "meetings": Meeting.objects.filter(trust=trust).prefetch_related("reports")[:6] if meetings else [],
        "can_meetings": meetings,
        "can_external": can(actor, Perm.VIEW_EXTERNAL, trust),
        "overdue": selectors.actions_for(actor=actor, trust=trust, today=today).filter(due__lt=today).count(),
    }


def report_page(*, actor: Any, trust: Trust, report: BoardReport, today: dt.date) -> dict[str, Any]:
    """A board report, page and PDF alike: its sections with each metric's chart, and its versions."""
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
    return {
        "current_trust": trust,
        "section": SECTION,
        "report": report,
        "sections": sections,
        "svgs": svgs,
        "spc_notice": settings.notice,
        "variation": selectors.VARIATION,
        "assurance": selectors.ASSURANCE,
        "versions": report.meeting.reports.order_by("version"),
        "can_edit": can(actor, Perm.EDIT_BOARD_REPORT, report),
    }
