"""What the region's page shows (issue 34): its trusts side by side on the board metrics (each trust's SPC signal in
words, counts suppressed), the funnel plots across them, fit and proper annual returns received, rota notice, guardian
fines and MHPS counts (suppressed), and what needs the regional medical director: returns overdue and trusts whose
latest point on a metric is special-cause variation for the worse. Built here, answered by the policy here, so that
the template asks nothing."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.urls import reverse

from medlead.core.charts import figure
from medlead.core.policy import Perm, can
from medlead.core.stats import Funnel, funnel_svg
from medlead.core.work import Task
from medlead.governance.selectors import VARIATION
from medlead.organisation.models import Region, Trust
from medlead.regions import selectors
from medlead.regions.suppression import FEWER, Shown, column, is_small

# Figures whose period the table names: the month of a monthly metric, the week of a weekly one.
MONTHLY = "%B %Y"


@dataclass(frozen=True)
class MetricCell:
    """One trust's reading of one metric: the latest value (a count below the threshold hidden), its period, the SPC
    signal of its latest point in words, and the trust's chart where the viewer may open it."""

    trust: Trust
    latest: str
    period: str
    variation: str | None  # "common_cause", "improvement", "concern", "neutral"; None without a chart
    variation_words: str
    assurance: str | None
    problem: str
    link: str


@dataclass
class MetricTable:
    code: str
    name: str
    unit: str
    cells: list[MetricCell] = field(default_factory=list)


@dataclass(frozen=True)
class FunnelFigure:
    title: str
    counting: str
    funnel: Funnel
    svg: str
    left_out: list[str]  # trusts with fewer doctors than the threshold: not plotted


@dataclass(frozen=True)
class Concern:
    """A trust whose latest point on a metric is special-cause variation for the worse."""

    trust: Trust
    metric: str
    link: str


def _value(value: float, unit: str, is_rate: bool, below: int) -> str:
    """A rate as it is; a count below the threshold (a mean of counts too) as "fewer than" it."""
    if is_rate:
        return figure(value, "%" if unit == "%" else "")
    return FEWER.format(n=below) if is_small(value, below) else figure(value)


def _period(day: dt.date, frequency: str) -> str:
    return f"week beginning {day:%-d %B %Y}" if frequency == "weekly" else day.strftime(MONTHLY)


def metric_tables(actor: Any, trusts: list[Trust], *, today: dt.date, below: int) -> list[MetricTable]:
    tables = []
    for across in selectors.metrics_across(trusts, today=today):
        table = MetricTable(across.code, across.name, across.unit)
        for trust, view in across.views:
            if view is None:
                continue
            link = (
                reverse("governance:metric", kwargs={"trust_code": trust.code, "code": across.code})
                if can(actor, Perm.VIEW_METRICS, trust)
                else ""
            )
            latest = view.latest
            table.cells.append(
                MetricCell(
                    trust=trust,
                    latest=_value(latest[1], across.unit, across.is_rate, below) if latest else "No values yet",
                    period=_period(latest[0], across.frequency) if latest else "",
                    variation=view.chart.variation if view.chart else None,
                    variation_words=view.variation_words,
                    assurance=view.chart.assurance if view.chart else None,
                    problem=view.problem,
                    link=link,
                )
            )
        if table.cells:
            tables.append(table)
    return tables


def concerns(tables: list[MetricTable]) -> list[Concern]:
    """Each trust and metric whose latest point is a concern (special cause, the worse way), trust by trust."""
    found = [Concern(c.trust, t.name, c.link) for t in tables for c in t.cells if c.variation == "concern"]
    return sorted(found, key=lambda c: (c.trust.name, c.metric))


def funnel_figures(trusts: list[Trust], *, today: dt.date, below: int) -> list[FunnelFigure]:
    """The funnels across trusts, without any trust whose denominator is below the threshold (its rate would rest on
    too few doctors): named as left out instead."""
    out = []
    for c in selectors.funnels(trusts, today=today):
        kept = [p for p in c.funnel.points if p.n >= below]
        left_out = [p.label for p in c.funnel.points if p.n < below]
        funnel = Funnel(c.funnel.centre, c.funnel.sd, kept)
        if not kept and not left_out:
            continue
        out.append(
            FunnelFigure(c.title, c.counting, funnel, funnel_svg(funnel, title=c.title, counting=c.counting), left_out)
        )
    return out


@dataclass(frozen=True)
class CountRow:
    trust: Trust
    cells: list[Shown]


@dataclass(frozen=True)
class CountTable:
    """Counts per trust, with the region's total, small numbers suppressed column by column."""

    caption: str
    headings: list[str]
    rows: list[CountRow]
    totals: list[Shown]


def count_table(
    trusts: list[Trust],
    caption: str,
    headings: list[str],
    columns: list[dict[int, int]],
    *,
    below: int,
    zero_hidden: bool,
) -> CountTable:
    suppressed = [column(c, below, zero_hidden=zero_hidden) for c in columns]
    return CountTable(
        caption,
        headings,
        [CountRow(t, [col.cells[t.pk] for col in suppressed]) for t in trusts],
        [col.total for col in suppressed],
    )


def _money(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


def fines_table(trusts: list[Trust], *, today: dt.date, below: int) -> CountTable:
    """Fines by trust: how many (suppressed), and their total only where the count is shown (an amount would tell a
    hidden count's size)."""
    fines = selectors.guardian_fines(trusts, today=today)
    counts = column({t.pk: fines[t.pk].count for t in trusts}, below)
    rows = []
    for t in trusts:
        n = counts.cells[t.pk]
        money = Shown(None, "not shown") if n.hidden else Shown(0, _money(fines[t.pk].amount))
        rows.append(CountRow(t, [n, money]))
    total_amount = sum((f.amount for f in fines.values()), Decimal(0))
    total_money = Shown(None, "not shown") if counts.total.hidden else Shown(0, _money(total_amount))
    return CountTable("Guardian fines by trust", ["Fines", "Their total"], rows, [counts.total, total_money])


def needs_you(region: Region, returns: dict[int, selectors.ReturnStatus], found: list[Concern]) -> list[Task]:
    """What needs the regional medical director in the region: returns overdue, trusts with a concern on a metric.
    Each links to the part of the page that lists exactly them."""
    page = reverse("regions:region", kwargs={"code": region.code})
    tasks = []
    overdue = sum(1 for r in returns.values() if r.overdue)
    if overdue:
        year = next(iter(returns.values())).due_year
        tasks.append(
            Task(
                f"trusts' fit and proper annual returns for {year} are overdue",
                overdue,
                f"{page}#returns",
                urgent=True,
                one=f"trust's fit and proper annual return for {year} is overdue",
            )
        )
    trusts = {c.trust.pk for c in found}
    if trusts:
        tasks.append(
            Task(
                "trusts show special-cause variation for the worse on a board metric",
                len(trusts),
                f"{page}#concerns",
                one="trust shows special-cause variation for the worse on a board metric",
            )
        )
    return tasks


def region_page(*, actor: Any, region: Region, today: dt.date) -> dict[str, Any]:
    s = selectors.settings()
    below = s.suppress_below
    trusts = selectors.trusts_of(region)
    tables = metric_tables(actor, trusts, today=today, below=below)
    found = concerns(tables)
    returns = selectors.fppt_returns(trusts, today=today, days_after_year_end=s.fppt_return_days_after_year_end)
    mhps = selectors.mhps_counts(trusts, today=today)
    notice = selectors.rota_notice(trusts, today=today)
    return {
        "region": region,
        "today": today,
        "trusts": trusts,
        "below": below,
        "settings": s,
        "work": needs_you(region, returns, found),
        "metric_tables": tables,
        "concerns": found,
        "variation": VARIATION,
        "funnels": funnel_figures(trusts, today=today, below=below),
        "returns": [(t, returns[t.pk]) for t in trusts],
        "notice": [(t, notice[t.pk]) for t in trusts],
        "fines": fines_table(trusts, today=today, below=below),
        "mhps": count_table(
            trusts,
            "Cases under MHPS by trust",
            ["Open cases", "Doctors excluded"],
            [{t.pk: mhps[t.pk].open_cases for t in trusts}, {t.pk: mhps[t.pk].excluded for t in trusts}],
            below=below,
            zero_hidden=True,
        ),
        "can_compare": {t.pk: can(actor, Perm.VIEW_METRICS, t) for t in trusts},
    }
