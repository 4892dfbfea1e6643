"""What the leadership pages show, built once for the template: charts, histories and what this user may do
(``may_*``), so that views only check input and call services, and templates neither ask permissions nor work out
rules."""

from __future__ import annotations

from typing import Any

from medlead.core.charts import bar_chart
from medlead.core.policy import Perm, can
from medlead.leadership import selectors, services, tokens
from medlead.leadership.hooks import EVIDENCE_COUNTS
from medlead.leadership.models import FeedbackCycle, FrameworkItem, RaterGroup, SelfAssessment
from medlead.leadership.report import ALL
from medlead.leadership.workflows import FEEDBACK_CYCLE
from medlead.organisation.models import Trust
from medlead.structure.models import PostType


def home_permissions(actor: Any, trust: Trust) -> dict[str, bool]:
    return {
        "can_aggregate": can(actor, Perm.VIEW_LEADERSHIP_AGGREGATE, trust),
        "can_import": can(actor, Perm.MANAGE_FRAMEWORKS, trust),
    }


def assessment_page(a: SelfAssessment, items: list[FrameworkItem]) -> dict[str, Any]:
    """A self-assessment's saved ratings, its gaps to the target role once submitted, the experience log's evidence
    per item (issue 4) and the history of the doctor's self-assessments on the framework, by domain."""
    history = selectors.assessment_history(person_id=a.person_id, framework=a.framework)
    domains = list(dict.fromkeys(i.domain for i in items))
    chart = (
        bar_chart(
            [
                (f"{h['assessment'].submitted_at:%d %b %Y}: {d}", h["domains"].get(d, 0))
                for h in history[-3:]
                for d in domains
            ],
            title=f"Your self-assessments on {a.framework.name}, by domain",
            axis=f"Mean self-rating (1 to {len(a.framework.scale)})",
            width=720,
        )
        if history
        else ""
    )
    gaps = selectors.gaps(assessment=a) if a.submitted_at else []
    role = PostType.objects.filter(code=a.target_role).first() if a.submitted_at and a.target_role else None
    return {
        "existing": {r.item_id: r for r in a.ratings.all()},
        "gaps": gaps,
        "gap_summary": selectors.gap_summary(a, gaps, role.name.lower() if role else a.target_role)
        if a.submitted_at
        else "",
        "logged": EVIDENCE_COUNTS(a.person),
        "chart": chart,
        "history": history,
        "domains": domains,
    }


def cycle_page(actor: Any, c: FeedbackCycle) -> dict[str, Any]:
    """The subject's page of a 360: counts only (never who answered), their own rating link, and whether they may
    still nominate."""
    own = c.raters.filter(group=RaterGroup.SELF).first()
    counts = selectors.cycle_counts(c)
    return {
        "counts": counts,
        "nominees": selectors.nominees(c),
        "close_missing": services.close_missing(counts["invited"], counts["responded"]),
        "self_link": tokens.make(own.pk, own.nonce) if own else None,
        "can_invite": FEEDBACK_CYCLE.can_edit(actor, c),
    }


def report(c: FeedbackCycle) -> dict[str, Any]:
    """A closed 360's report, under the anonymity rules, with a chart for each domain and the trend across the
    subject's cycles."""
    data = selectors.cycle_report(c)
    axis = f"Mean rating (1 to {len(data['scale'])})"
    charts = {
        domain: bar_chart(
            [(g.label, means.get(g.key) or 0) for g in data["groups"]],
            title=f"{domain}: mean rating by group",
            axis=axis,
        )
        for domain, means in data["r"].domain_means.items()
    }
    trend = selectors.cycle_trend(c)
    return {
        "c": c,
        **data,
        "charts": charts,
        "ALL": ALL,
        "trend": bar_chart(trend, title="Others' mean rating, by cycle", axis=axis) if len(trend) > 1 else "",
    }
