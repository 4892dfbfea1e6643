"""Reads for the region's view (issue 34): a region's trusts side by side, aggregates only. Each read is one or a few
queries for every trust of the region together, so that the page costs the same for three trusts as for thirty; no
read names a person or opens a record (a case under MHPS is counted, never read; of a fit and proper annual return
only the year and the day it was signed off)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from medlead.concerns.models import Case, CaseStatus
from medlead.concerns.selectors import excluded_since
from medlead.core.reference_data import read
from medlead.core.spc import Params
from medlead.fitproper.models import AnnualReturn
from medlead.governance.models import Metric, MetricRebase, MetricValue
from medlead.governance.selectors import SPC, SPC_KEYS, MetricView, chart_for, specialty_funnels
from medlead.organisation.models import ReceiverKind, Region, Trust
from medlead.organisation.receivers import Received, receivers_for
from medlead.rota.models import ExceptionReport, RotaPublication
from medlead.rulebook import catalogue
from medlead.rulebook.models import ValueConfirmation

REGION_VIEW = "region_view.yaml"


@dataclass(frozen=True)
class Settings:
    """The region's view's own values (``data/region_view.yaml``) and where the threshold comes from."""

    suppress_below: int
    fppt_return_days_after_year_end: int
    suppression_sources: tuple[str, ...]
    suppression_verified: bool
    fppt_due_verified: bool  # whether a primary source gives the return's deadline (none was found)


def settings() -> Settings:
    data = read(REGION_VIEW)
    entry = data["provenance"]["suppress_below"]
    return Settings(
        int(data["suppress_below"]),
        int(data["fppt_return_days_after_year_end"]),
        tuple(entry["sources"]),
        entry["verified"] is True,
        data["provenance"]["fppt_return_days_after_year_end"]["verified"] is True,
    )


def trusts_of(region: Region) -> list[Trust]:
    """The region's trusts today (``Trust.region``, kept in step with the dated rows), by name. One query."""
    return list(Trust.objects.filter(region=region).select_related("region").order_by("name"))


# ----------------------------------------------------------------------------------------------- board metrics


def spc_params(trusts: Sequence[Trust], day: dt.date) -> dict[int, Params]:
    """Each trust's chart settings on ``day``: the national values, with the trust's confirmations in force that day
    (the latest of each). One query for every trust (``governance.selectors.spc_settings`` reads one trust's)."""
    national = {v.key: v.value for v in catalogue.values(day, (SPC,)) if v.key in SPC_KEYS}
    own: dict[int, dict[str, Any]] = defaultdict(dict)
    rows = (
        ValueConfirmation.objects.filter(trust__in=trusts, file=SPC, key__in=SPC_KEYS, applies_from__lte=day)
        .order_by("applies_from", "created_at", "pk")
        .values_list("trust_id", "key", "value")
    )
    for trust_id, key, value in rows:
        own[trust_id][key] = catalogue.typed(value, national[key])  # a later one replaces an earlier one
    return {t.pk: Params.from_data({**national, **own[t.pk]}) for t in trusts}


@dataclass
class MetricAcross:
    """One board metric across the region's trusts: each trust's chart of it (None where the trust has no such
    metric), in the trusts' order."""

    code: str
    name: str
    unit: str
    frequency: str
    views: list[tuple[Trust, MetricView | None]] = field(default_factory=list)

    @property
    def is_rate(self) -> bool:
        """A percentage or a ratio, not a count: shown as it is, never suppressed."""
        return self.unit in ("%", "")


def metrics_across(trusts: Sequence[Trust], *, today: dt.date) -> list[MetricAcross]:
    """The active board metrics of the trusts, by name, each with every trust's SPC chart as that trust's board reads
    it (its own chart settings). Four queries for every trust together."""
    params = spc_params(trusts, today)
    chosen = list(Metric.objects.filter(trust__in=trusts, active=True).order_by("name", "trust_id"))
    ids = [m.pk for m in chosen]
    values: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    for metric_id, period, value in (
        MetricValue.objects.filter(metric_id__in=ids, period__lte=today)
        .order_by("metric_id", "period")
        .values_list("metric_id", "period", "value")
    ):
        values[metric_id].append((period, value))
    rebases: dict[int, list[MetricRebase]] = defaultdict(list)
    for r in MetricRebase.objects.filter(metric_id__in=ids, on__lte=today).order_by("on"):
        rebases[r.metric_id].append(r)
    by_code: dict[str, MetricAcross] = {}
    charts: dict[tuple[str, int], MetricView] = {}
    for m in chosen:
        by_code.setdefault(m.code, MetricAcross(m.code, m.name, m.unit, m.frequency))
        charts[(m.code, m.trust_id)] = chart_for(m, values[m.pk], rebases[m.pk], params[m.trust_id])
    for code, across in by_code.items():
        across.views = [(t, charts.get((code, t.pk))) for t in trusts]
    return sorted(by_code.values(), key=lambda a: a.name)


def funnels(trusts: Sequence[Trust], *, today: dt.date) -> list[Any]:
    """Funnel plots across the trusts of the computed rates (appraisal, job plans signed off): the board's comparison
    across trusts (``governance.selectors.specialty_funnels``). Four queries."""
    if not trusts:
        return []
    return specialty_funnels(trust=trusts[0], today=today, trusts=list(trusts))


# ------------------------------------------------------------------------------------ fit and proper returns


@dataclass(frozen=True)
class ReturnStatus:
    """A trust's fit and proper annual returns: the year last due (received or overdue) and this year's."""

    due_year: int
    due_on: dt.date  # the day after which the due year's return is overdue
    received_on: dt.date | None
    this_year: int
    this_year_received_on: dt.date | None
    sent_to: Received | None

    @property
    def overdue(self) -> bool:
        return self.received_on is None


def return_due_on(year: int, days_after_year_end: int) -> dt.date:
    """The last day a year's return is on time: the year's end and the days after it the region allows."""
    return dt.date(year, 12, 31) + dt.timedelta(days=days_after_year_end)


def fppt_returns(trusts: Sequence[Trust], *, today: dt.date, days_after_year_end: int) -> dict[int, ReturnStatus]:
    """For each trust, whether its fit and proper annual return for the latest year already due was signed off, and
    when (the year and the day only: the return's rows are the trust's), with this year's, and whom each goes to.
    Two queries."""
    due_year = today.year - 1
    while return_due_on(due_year, days_after_year_end) >= today:
        due_year -= 1
    received: dict[tuple[int, int], dt.date] = {
        (trust_id, year): on
        for trust_id, year, on in AnnualReturn.objects.filter(
            trust__in=trusts, year__in=[due_year, today.year]
        ).values_list("trust_id", "year", "submitted_on")
    }
    sent_to = receivers_for(ReceiverKind.FPPT_RETURN, trusts, on=today)
    return {
        t.pk: ReturnStatus(
            due_year=due_year,
            due_on=return_due_on(due_year, days_after_year_end),
            received_on=received.get((t.pk, due_year)),
            this_year=today.year,
            this_year_received_on=received.get((t.pk, today.year)),
            sent_to=sent_to[t.pk],
        )
        for t in trusts
    }


# ------------------------------------------------------------------------------------- rota notice and fines


@dataclass(frozen=True)
class Notice:
    rotations: int
    on_time: int


def rota_notice(trusts: Sequence[Trust], *, today: dt.date) -> dict[int, Notice]:
    """Rotations that started in the last 12 months, as published, and how many had both the work schedule and the
    rota on time (the Code of Practice's standards as each trust applied them). Rotations are not people: counted
    as they are. One query."""
    counted: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for trust_id, schedule, rota in RotaPublication.objects.filter(
        trust__in=trusts, starts_on__gt=today - dt.timedelta(days=365), starts_on__lte=today, assumed=False
    ).values_list("trust_id", "work_schedule_on_time", "rota_on_time"):
        counted[trust_id][0] += 1
        counted[trust_id][1] += bool(schedule and rota)
    return {t.pk: Notice(*counted[t.pk]) for t in trusts}


@dataclass(frozen=True)
class Fines:
    count: int
    amount: Decimal


def guardian_fines(trusts: Sequence[Trust], *, today: dt.date) -> dict[int, Fines]:
    """Exception reports about events in the last 12 months on which the guardian levied a fine, and the fines'
    total: counts only, no report read. One query."""
    found = {
        row["trust_id"]: Fines(row["n"], row["amount"] or Decimal(0))
        for row in ExceptionReport.objects.filter(
            trust__in=trusts, occurred_on__gt=today - dt.timedelta(days=365), occurred_on__lte=today
        )
        .exclude(fine_category="")
        .values("trust_id")
        .annotate(n=Count("pk"), amount=Sum("fine_amount"))
        .order_by()
    }
    return {t.pk: found.get(t.pk, Fines(0, Decimal(0))) for t in trusts}


# ---------------------------------------------------------------------------------------------- MHPS counts


@dataclass(frozen=True)
class MhpsCounts:
    open_cases: int
    excluded: int


def mhps_counts(trusts: Iterable[Trust], *, today: dt.date) -> dict[int, MhpsCounts]:
    """Cases under MHPS open on ``today`` in each trust, and of them those with the doctor excluded that day: counts
    for suppression (``regions.suppression``), never a case. Two queries."""
    trusts = list(trusts)
    cases = (
        Case.objects.filter(trust__in=trusts, raised_on__lte=today)
        .filter(Q(status=CaseStatus.OPEN) | Q(closed_on__gt=today))
        .only("pk", "trust_id")
        .prefetch_related("measures")
    )
    open_cases: dict[int, int] = defaultdict(int)
    excluded: dict[int, int] = defaultdict(int)
    for case in cases:
        open_cases[case.trust_id] += 1
        excluded[case.trust_id] += excluded_since(case.measures.all(), on=today) is not None
    return {t.pk: MhpsCounts(open_cases[t.pk], excluded[t.pk]) for t in trusts}
