"""Reads for the board's view, each a fixed number of queries whatever the number of metrics or values."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from medlead.concerns.selectors import board_counts
from medlead.core import dates, kept
from medlead.core.policy import person_id
from medlead.core.reference_data import in_force, read
from medlead.core.spc import Chart, Params, SpcError, xmr
from medlead.core.stats import funnel_proportions
from medlead.governance.computed import appraised, job_plans
from medlead.governance.models import Action, ActionStatus, BoardReport, Metric, MetricRebase, MetricValue
from medlead.governance.permissions import actions_filter
from medlead.organisation.models import Trust
from medlead.rulebook.selectors import unconfirmed, values_for, values_on
from medlead.rulebook.unconfirmed import Unconfirmed

VARIATION = {
    "common_cause": "Common cause variation: no sign of change",
    "improvement": "Special cause variation: improving",
    "concern": "Special cause variation: a concern",
    "neutral": "Special cause variation: a change, neither better nor worse",
}
RULE_WORDS = {
    "beyond_limits": "a point beyond a process limit",
    "shift": "a run of 7 or more points on one side of the mean",
    "trend": "7 or more points rising or falling",
    "two_of_three": "2 of 3 points close to a process limit",
}


def rule_words(params: Params) -> dict[str, str]:
    """The special-cause rules in words, with the run lengths the trust applies."""
    count, window = params.two_of_three
    return {
        "beyond_limits": "a point beyond a process limit",
        "shift": f"a run of {params.shift_run} or more points on one side of the mean",
        "trend": f"{params.trend_run} or more points rising or falling",
        "two_of_three": f"{count} of {window} points close to a process limit",
    }


ASSURANCE = {
    "pass": "The target is consistently met",
    "fail": "The target is consistently missed",
    "hit_and_miss": "The target is met some of the time and missed at others",
}


SPC = "spc.yaml"
# The chart's settings a trust may confirm or change (rulebook catalogue keys of data/spc.yaml).
SPC_KEYS = (
    "limit_multiplier",
    "near_limit_fraction",
    "shift_run",
    "trend_run",
    "two_of_three",
    "trial_limits_below",
    "screen_outliers",
    "outlier_moving_range",
)


@dataclass(frozen=True)
class SpcSettings:
    params: Params
    # beside the charts while a setting is neither verified from its source nor confirmed by the trust: "These chart
    # settings are the national defaults; your trust has not confirmed them yet."
    notice: Unconfirmed

    @property
    def awaiting(self) -> bool:
        return bool(self.notice)


def reminder_days(trust: Trust | int, day: dt.date) -> int:
    """How many days before an action falls due its owner is reminded (``action_reminder_days``, a local setting):
    the trust's confirmation in force on ``day``, else medlead's default."""
    key = (BOARD_REPORT, "action_reminder_days")
    return int(values_on(trust, [(*key, day)])[key].value)


BOARD_REPORT = "board_report.yaml"


def spc_settings(trust: Trust, day: dt.date) -> SpcSettings:
    """The chart's settings as ``trust`` applies them on ``day`` (one query); the SPC code itself reads no data."""
    found = values_for(trust, SPC, SPC_KEYS, day)
    return SpcSettings(
        Params.from_data({k: v.value for k, v in found.items()}),
        unconfirmed("chart setting", found.values(), "chart settings"),
    )


@dataclass
class MetricView:
    """A metric with its chart, or the reason there is none (fewer than two values)."""

    metric: Metric
    values: list[tuple[dt.date, float]]
    rebases: list[MetricRebase]
    chart: Chart | None
    problem: str = ""
    actions: list[Action] = field(default_factory=list)

    @property
    def latest(self) -> tuple[dt.date, float] | None:
        return self.values[-1] if self.values else None

    @property
    def variation_words(self) -> str:
        return VARIATION[self.chart.variation] if self.chart and self.chart.variation else ""

    @property
    def assurance_words(self) -> str:
        if self.chart and self.chart.assurance:
            return ASSURANCE[self.chart.assurance]
        return "No target set" if self.metric.target is None else ""

    def as_dict(self) -> dict[str, Any]:
        m = self.metric
        return {
            "code": m.code,
            "name": m.name,
            "definition": m.definition,
            "unit": m.unit,
            "frequency": m.frequency,
            "direction": m.direction,
            "target": m.target,
            "owner": str(m.owner) if m.owner_id else "",
            "chart": self.chart.as_dict() if self.chart else None,
            "problem": self.problem,
            "rebases": [{"on": r.on.isoformat(), "reason": r.reason} for r in self.rebases],
        }


def chart_for(
    metric: Metric, values: list[tuple[dt.date, float]], rebases: list[MetricRebase], params: Params
) -> MetricView:
    if len(values) < 2:
        return MetricView(metric, values, rebases, None, "Fewer than two values: no chart yet.")
    try:
        chart = xmr(
            values,
            improvement=metric.direction,  # type: ignore[arg-type]
            target=metric.target,
            rebase=[r.on for r in rebases if values[0][0] < r.on <= values[-1][0]],
            params=params,
        )
    except SpcError as exc:
        return MetricView(metric, values, rebases, None, str(exc))
    return MetricView(metric, values, rebases, chart)


def metric_views(
    *,
    trust: Trust,
    metrics: QuerySet[Metric] | None = None,
    on: dt.date | None = None,
    settings: SpcSettings | None = None,
) -> list[MetricView]:
    """Each active metric of the trust with its chart; with ``on``, from the values dated on or before that day
    only (and the rebases made by then), as the figures stood on it. The charts' settings are the trust's on that
    day (or today), unless given. Four queries."""
    settings = settings or spc_settings(trust, on or dates.today())
    qs = metrics if metrics is not None else Metric.objects.filter(trust=trust, active=True)
    chosen = list(qs.select_related("owner"))
    ids = [m.pk for m in chosen]
    values: dict[int, list[tuple[dt.date, float]]] = defaultdict(list)
    stored = MetricValue.objects.filter(metric_id__in=ids)
    made = MetricRebase.objects.filter(metric_id__in=ids)
    if on is not None:
        stored, made = stored.filter(period__lte=on), made.filter(on__lte=on)
    for metric_id, period, value in stored.order_by("metric_id", "period").values_list("metric_id", "period", "value"):
        values[metric_id].append((period, value))
    rebases: dict[int, list[MetricRebase]] = defaultdict(list)
    for r in made.order_by("on"):
        rebases[r.metric_id].append(r)
    return [chart_for(m, values[m.pk], rebases[m.pk], settings.params) for m in chosen]


@dataclass(frozen=True)
class Charts:
    """The trust's active metrics charted as they stand on one day (the trust's chart settings applied), and each
    metric's actions (by the day they fall due): the same for everyone who may see the board's view."""

    settings: SpcSettings
    views: list[MetricView]
    actions: dict[int, list[Action]]

    def of(self, code: str) -> MetricView | None:
        return next((v for v in self.views if v.metric.code == code), None)


def charts_on(trust: Trust, day: dt.date) -> Charts:
    """``Charts`` for ``trust`` on ``day``, kept once for everyone who may see them (``core.kept``) until a metric,
    a value, a rebase, an action or a chart setting changes. Five queries when built."""
    return kept.kept(("governance:charts", trust.pk, day), lambda: _charts(trust, day))


def _charts(trust: Trust, day: dt.date) -> Charts:
    settings = spc_settings(trust, day)
    views = metric_views(trust=trust, settings=settings)
    actions: dict[int, list[Action]] = defaultdict(list)
    for a in Action.objects.filter(trust=trust, metric__isnull=False).select_related("owner").order_by("due", "pk"):
        if a.metric_id is not None:
            actions[a.metric_id].append(a)
    return Charts(settings, views, dict(actions))


@dataclass
class Section:
    code: str
    name: str
    narrative: str
    metrics: list[dict[str, Any]]
    concerns: dict[str, Any] | None = None

    def as_dict(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "narrative": self.narrative,
            "metrics": self.metrics,
            "concerns": self.concerns,
        }


def _concern_counts(trust: Trust, today: dt.date) -> dict[str, Any]:

    counts = board_counts(trust=trust, today=today)
    return {
        "open": counts["open"],
        "median_open_days": counts["median_open_days"],
        "by_stage": [[k, v] for k, v in counts["by_stage"].items()],
        "by_category": [[k, v] for k, v in counts["by_category"].items()],
        "excluded": counts["excluded"],
        "longest_exclusion_days": counts["longest_exclusion_days"],
    }


def report_sections(*, report: BoardReport, today: dt.date, live: bool = False) -> list[Section]:
    """The report's sections: an issued report's as they were issued (its snapshot); a draft's with today's figures.
    Either way only the figures dated on or before ``today`` (the data date: the day of issue, when issuing), and
    the concerns as they stood that day. Each metric is a plain dict (``MetricView.as_dict``), the same whether
    live or frozen."""
    if report.snapshot and not live:
        return [Section(**s) for s in report.snapshot["sections"]]
    trust = report.meeting.trust
    views = metric_views(trust=trust, on=today)
    by_section: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for v in views:
        by_section[v.metric.section].append(v.as_dict())
    out = []
    for s in in_force(read("board_report.yaml")["sections"], today):
        out.append(
            Section(
                code=s["code"],
                name=s["name"],
                narrative=report.narratives.get(s["code"], ""),
                metrics=by_section.get(s["code"], []),
                concerns=_concern_counts(trust, today) if s["code"] == "concerns" else None,
            )
        )
    return out


def actions_for(*, actor: Any, trust: Trust, today: dt.date, mine: bool = False, open_only: bool = True) -> Any:
    """The action log as ``actor`` may see it: overdue first, then by due date."""
    qs = Action.objects.filter(trust=trust).filter(actions_filter(actor, trust))
    if mine:
        qs = qs.filter(owner_id=person_id(actor))
    if open_only:
        qs = qs.filter(status=ActionStatus.OPEN)
    overdue = Case(
        When(status=ActionStatus.OPEN, due__lt=today, then=Value(0)), default=Value(1), output_field=IntegerField()
    )
    return (
        qs.select_related("owner", "meeting", "metric")
        .annotate(overdue_first=overdue)
        .order_by("overdue_first", "due", "pk")
    )


@dataclass
class Comparison:
    title: str
    counting: str
    funnel: Any


def _by_group(members: dict[int, str], yes: set[int]) -> list[tuple[str, int, int]]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for pid, group in members.items():
        totals[group][0] += 1
        totals[group][1] += pid in yes
    return [(group, n, k) for group, (n, k) in sorted(totals.items())]


def specialty_funnels(*, trust: Trust, today: dt.date, trusts: list[Trust] | None = None) -> list[Comparison]:
    """Funnel plots of the computed rates across the trust's specialties, or, given ``trusts``, across those
    trusts: comparison without a league table. Four queries."""

    scope: Any = trusts if trusts else trust
    group = "trust__name" if trusts else "person__specialty__name"
    unit = "trust" if trusts else "specialty"
    connected, done = appraised(scope, today, group=group)
    doctors, signed = job_plans(scope, group=group)
    return [
        Comparison(
            f"Doctors appraised in the last 12 months, by {unit}",
            "doctors",
            funnel_proportions(_by_group(connected, done)),
        ),
        Comparison(
            f"Job plans signed off (this plan year or the last), by {unit}",
            "doctors",
            funnel_proportions(_by_group(doctors, signed)),
        ),
    ]
