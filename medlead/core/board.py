"""The board's picture of medical leadership and the medical workforce: aggregates only, never a person's record.

Shown on the trust page to board members (non-executive directors, the chair and chief executive) and to the
medical director and associates, each figure linking to the report behind it where the viewer may open it. Built
from the same selectors the module pages use; a fixed number of queries, whatever the trust's size."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.urls import reverse

from medlead.core.policy import Perm, can

if TYPE_CHECKING:
    from medlead.structure.selectors import StructureToday


@dataclass(frozen=True)
class Figure:
    label: str
    value: str
    detail: str
    url: str = ""


def board_picture(actor: Any, trust: Any, *, today: dt.date, structure: StructureToday | None = None) -> list[Figure]:
    """The board's picture of this trust today, for those who may see it. ``structure`` as for ``work_for``."""
    from medlead.jobplans.models import JobPlan, State
    from medlead.jobplans.selectors import current_year
    from medlead.revalidation.rules import appraisal_year
    from medlead.revalidation.selectors import appraisal_rates
    from medlead.rota.models import ExceptionReport, RotaBreach
    from medlead.rota.selectors import quarter_bounds, quarter_label, quarter_of
    from medlead.structure.selectors import StructureToday
    from medlead.talent.selectors import pipeline_people, succession_plan

    if not can(actor, Perm.VIEW_BOARD_PICTURE, trust):
        return []

    def link(perm: Perm, name: str) -> str:
        return reverse(name, kwargs={"trust_code": trust.code}) if can(actor, perm, trust) else ""

    figures = []
    structure = structure or StructureToday(trust, today)
    findings = structure.findings
    high = sum(1 for f in findings if f.severity == "high")
    figures.append(
        Figure(
            "Medical management structure",
            f"{high} serious {'finding' if high == 1 else 'findings'}",
            f"{len(findings)} findings in all (vacant and interim posts, unheld responsibilities, spans of control).",
            link(Perm.VIEW_STRUCTURE_HEALTH, "structure:health"),
        )
    )
    year = appraisal_year(today)
    rates = appraisal_rates(trust=trust, year=year)
    figures.append(
        Figure(
            f"Appraisal rate, {year}/{(year + 1) % 100:02d} so far",
            f"{rates['rate']:.1f}%",
            f"{rates['done']} of {rates['connected']} doctors with a prescribed connection have been appraised.",
            link(Perm.VIEW_RO_REPORT, "revalidation:report"),
        )
    )
    plan_year = current_year()
    plans = JobPlan.objects.filter(trust=trust, year=plan_year).aggregate(
        total=Count("pk"), signed=Count("pk", filter=Q(state=State.SIGNED))
    )
    total, signed = plans["total"], plans["signed"]
    figures.append(
        Figure(
            f"Job plans signed off, {plan_year}/{(plan_year + 1) % 100:02d}",
            f"{signed} of {total}",
            "Consultant and SAS job plans through every sign-off.",
            link(Perm.VIEW_JOB_PLANS, "jobplans:dashboard"),
        )
    )
    fy, q = quarter_of(today)
    start, end = quarter_bounds(fy, q)
    reports = ExceptionReport.objects.filter(trust=trust, occurred_on__gte=start, occurred_on__lt=end).aggregate(
        n=Count("pk"), fined=Count("pk", filter=~Q(fine_category=""))
    )
    n_reports, fined = reports["n"], reports["fined"]
    breaches = RotaBreach.objects.filter(trust=trust, warning=False).count()
    figures.append(
        Figure(
            f"Safe working hours, {quarter_label(fy, q)}",
            f"{n_reports} exception {'report' if n_reports == 1 else 'reports'}",
            f"{fined} with a guardian fine; {breaches} rota {'breach' if breaches == 1 else 'breaches'} found by "
            "the last checks of the trust's rotas.",
            link(Perm.VIEW_GUARDIAN_REPORT, "rota:guardian_report"),
        )
    )
    posts = succession_plan(trust=trust, today=today, holders=structure.holders)
    at_risk = sum(1 for p in posts if p["risk"].at_risk)
    in_pipeline = len(pipeline_people(trust))
    figures.append(
        Figure(
            "Succession and the leadership pipeline",
            f"{at_risk} of {len(posts)} posts at risk",
            f"{in_pipeline} doctors in the leadership pipeline (nominated, reviewed as ready, or named successors).",
            link(Perm.MANAGE_TALENT, "talent:succession"),
        )
    )
    from medlead.concerns.selectors import board_counts

    mhps = board_counts(trust=trust, today=today)
    stages = "; ".join(f"{stage}: {n if n is not None else 'fewer than 3'}" for stage, n in mhps["by_stage"].items())
    excluded = (
        "fewer than 3 doctors excluded"
        if mhps["excluded"] is None
        else f"{mhps['excluded']} excluded"
        + (f", the longest for {mhps['longest_exclusion_days']} days" if mhps["longest_exclusion_days"] else "")
    )
    median = mhps["median_open_days"]
    figures.append(
        Figure(
            "Concerns about practice (MHPS)",
            f"{mhps['open']} open {'case' if mhps['open'] == 1 else 'cases'}",
            (f"{stages}. " if stages else "")
            + (f"Open for a median of {median} days. " if median is not None else "")
            + f"Exclusions: {excluded}.",
        )
    )
    return figures
