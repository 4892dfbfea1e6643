"""The region's demo (issue 34), the region's view: what the regional medical director (``rmd``) reads of the two
neighbouring trusts beside the demo trust, kept cheap (a few hundred rows written in bulk, audited).

- Both neighbours get their computed board metrics and two years of monthly history around the value their records
  give today, as ``demo.board`` gives the demo trust (without its meetings, reports and own metrics). Riverside
  (DEM003) has had its job plans signed off fall for the last eight months: a run below the mean, special-cause
  variation for the worse, which the region's "what needs you" shows.
- Both get prescribed connections and this year's appraisals, so the funnel plots across the region have their
  points (Eastmoor's appraisal rate high, Riverside's lower).
- Eastmoor (DEM002) signed its fit and proper annual return for last year off in time; Riverside's is overdue.

The receivers (who receives the return, the higher-level responsible officer) come from the data migration."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from medlead.core import audit as auditor
from medlead.core import dates
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.demo.board import HISTORY, _months, _series
from medlead.fitproper.models import AnnualReturn, Assessment, Kind, Outcome
from medlead.fitproper.services import return_rows
from medlead.governance import services as board
from medlead.governance.computed import MEASURES
from medlead.governance.models import MetricValue
from medlead.organisation.models import BoardMember, BoardRole, Grade, StaffKind, Trust
from medlead.revalidation.models import Appraisal, AppraisalStatus, Connection

if TYPE_CHECKING:
    from medlead.demo.generator import Built
    from medlead.demo.region import RegionDemo

DEMO = SystemActor("demo data")
TRAINEES = frozenset({Grade.FOUNDATION, Grade.CORE_TRAINEE, Grade.SPECIALTY_REGISTRAR})
# Riverside's deterioration: job plans signed off fell 12 points eight months ago (a shift below the mean).
DETERIORATION = ("job_plans_signed", ("shift", 8, 12.0))
# The share of each neighbour's connected doctors appraised in the last 12 months.
APPRAISED = {"DEM002": 0.93, "DEM003": 0.72}


def build(ctx: RegionDemo) -> None:
    today = dates.today()
    for built in (ctx.neighbour, ctx.lead):
        _appraisals(ctx, built, today)
    for built, change in ((ctx.neighbour, None), (ctx.lead, DETERIORATION)):
        _metrics(ctx, built.trust, today, change)
    _fppt_return(ctx.neighbour, today)


def _appraisals(ctx: RegionDemo, built: Built, today: dt.date) -> None:
    """Every consultant and SAS doctor connected for some years, a share of them appraised in the last 12 months."""
    rng = ctx.gen.rng
    doctors = [p for p in built.people if p.kind == StaffKind.DOCTOR and p.grade not in TRAINEES]
    share = APPRAISED.get(built.trust.code, 0.85)
    connections = Connection.objects.bulk_create(
        [
            Connection(
                trust=built.trust,
                person=p,
                connected_on=today - dt.timedelta(days=rng.randrange(400, 3000)),
                submission_date=today + dt.timedelta(days=rng.randrange(60, 5 * 365)),
            )
            for p in doctors
        ]
    )
    appraisals = []
    for p in doctors:
        done = rng.random() < share
        met = today - dt.timedelta(days=rng.randrange(20, 330))
        appraisals.append(
            Appraisal(
                trust=built.trust,
                person=p,
                year=met.year if met.month >= 4 else met.year - 1,
                status=AppraisalStatus.SIGNED_OFF if done else AppraisalStatus.NOT_STARTED,
                meeting_date=met if done else None,
                signed_off_on=met if done else None,
                probity_declared=done,
                health_declared=done,
                statements_confirmed=done,
            )
        )
    made = Appraisal.objects.bulk_create(appraisals)
    auditor.audit_bulk_create(actor=DEMO, objs=[*connections, *made], note="the region's demo")


def _metrics(ctx: RegionDemo, trust: Trust, today: dt.date, change: tuple[str, tuple[Any, ...]] | None) -> None:
    """The computed metrics with two years of monthly values around today's (as ``demo.board`` draws them), written
    in bulk; then this month's reading from the records, as the nightly task records it."""
    months = _months(today, 24)
    values = []
    for metric in board.computed_metrics_ensure(trust=trust):
        current = MEASURES[metric.code](trust, today)
        if current is None:
            continue
        # the demo trust's share of noise; no special cause but the one asked for (the demo trust's own are its story)
        share = HISTORY.get(metric.code, (0.12, ()))[0]
        shape = change[1] if change is not None and metric.code == change[0] else ()
        noise = max(abs(current) * share, 1.0 if metric.unit != "%" else 0.8)
        integer = metric.unit not in ("%", "")
        for when, value in zip(months, _series(ctx.gen.rng, len(months), current, noise, shape), strict=True):
            value = min(value, 100.0) if metric.unit == "%" else value
            values.append(
                MetricValue(
                    trust=trust,
                    metric=metric,
                    period=when,
                    value=float(round(value)) if integer else round(value, 1),
                )
            )
    made = MetricValue.objects.bulk_create(values)
    auditor.audit_bulk_create(actor=DEMO, objs=made, note="the region's demo: two years of board metrics")
    board.computed_metrics_record(trust=trust, today=today)


def _fppt_return(built: Built, today: dt.date) -> None:
    """Last year's annual assessments of the board, each decided fit and proper by the chair, and the return the
    chair signed off before the year ended."""
    year = today.year - 1
    members = list(BoardMember.objects.filter(trust=built.trust, end__isnull=True).select_related("person"))
    chair = next(m.person for m in members if m.role == BoardRole.CHAIR)
    for m in members:
        due = dt.date(year, 6, 1)
        core.create(
            actor=DEMO,
            obj=Assessment(
                trust=built.trust,
                member=m,
                kind=Kind.ANNUAL,
                year=year,
                due_on=due,
                attested_on=due - dt.timedelta(days=14),
                outcome=Outcome.FIT,
                decided_on=due - dt.timedelta(days=7),
                decided_by=chair,
            ),
        )
    core.create(
        actor=DEMO,
        obj=AnnualReturn(
            trust=built.trust,
            year=year,
            submitted_on=dt.date(year, 12, 10),
            submitted_by=chair,
            rows=return_rows(trust=built.trust, year=year),
        ),
    )
