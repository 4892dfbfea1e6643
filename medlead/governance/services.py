"""Writes for the board's view: metrics and their values, board reports, meetings, decisions, actions and the
register of external bodies. Each checks the policy, validates, saves nothing on failure and is audited."""

from __future__ import annotations

import datetime as dt
import math
from functools import cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q

from medlead.core import notify
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.dates import parse_day
from medlead.core.policy import Perm, require
from medlead.core.reference_data import cited, read
from medlead.core.tabular import read_with_header
from medlead.governance.computed import MEASURES
from medlead.governance.models import (
    Action,
    ActionNote,
    ActionStatus,
    BoardReport,
    Contact,
    Decision,
    Engagement,
    ExternalBody,
    Meeting,
    Metric,
    MetricOrigin,
    MetricRebase,
    MetricValue,
    Paper,
    ReportStatus,
)
from medlead.governance.selectors import reminder_days, report_sections
from medlead.organisation.models import Trust

# ------------------------------------------------------------------------------------------------- metrics


@cache
def catalogue() -> dict[str, Any]:
    """data/board_report.yaml, read once (callers must not change it)."""
    return read("board_report.yaml")


def section_names() -> dict[str, str]:
    return {s["code"]: s["name"] for s in catalogue()["sections"]}


def _check_section(metric: Metric) -> None:
    if metric.section not in section_names():
        raise ValidationError({"section": "Choose a section of the board report."})


@transaction.atomic
def metric_create(*, actor: Any, trust: Trust, **fields: Any) -> Metric:
    require(actor, Perm.MANAGE_METRICS, trust)
    metric = Metric(trust=trust, origin=MetricOrigin.IMPORTED, **fields)
    _check_section(metric)
    if Metric.objects.filter(trust=trust, code=metric.code).exists():
        raise ValidationError({"code": f"The trust already has a metric called {metric.code}."})
    return core.create(actor=actor, obj=metric)


@transaction.atomic
def metric_update(*, actor: Any, metric: Metric, data: dict[str, Any]) -> Metric:
    require(actor, Perm.MANAGE_METRICS, metric)
    if metric.origin == MetricOrigin.COMPUTED:
        data = {k: v for k, v in data.items() if k in ("owner", "target", "active")}
    metric = core.update(actor=actor, obj=metric, data=data)
    _check_section(metric)
    return metric


def _period(metric: Metric, on: dt.date) -> dt.date:
    """The first day of the month (or the Monday of the week) ``on`` falls in."""
    if metric.frequency == "weekly":
        return on - dt.timedelta(days=on.weekday())
    return on.replace(day=1)


@transaction.atomic
def value_record(*, actor: Any, metric: Metric, on: dt.date, value: float, note: str = "") -> MetricValue:
    """Record (or correct) the value for the period ``on`` falls in. A computed metric is recorded by medlead itself
    (a ``SystemActor``), never typed over."""
    require(actor, Perm.MANAGE_METRICS, metric)
    if metric.origin == MetricOrigin.COMPUTED and not isinstance(actor, SystemActor):
        raise ValidationError("medlead computes this metric from its own records: it cannot be entered by hand.")
    if not math.isfinite(value):
        raise ValidationError({"value": "Enter a number."})
    period = _period(metric, on)
    existing = MetricValue.objects.filter(metric=metric, period=period).first()
    if existing is None:
        return core.create(
            actor=actor, obj=MetricValue(trust_id=metric.trust_id, metric=metric, period=period, value=value), note=note
        )
    if existing.value != value:
        return core.update(actor=actor, obj=existing, data={"value": value}, note=note)
    return existing


@transaction.atomic
def rebase_add(*, actor: Any, metric: Metric, on: dt.date, reason: str) -> MetricRebase:
    require(actor, Perm.MANAGE_METRICS, metric)
    if MetricRebase.objects.filter(metric=metric, on=on).exists():
        raise ValidationError({"on": f"The limits are already recalculated from {on:%d %B %Y}."})
    return core.create(
        actor=actor, obj=MetricRebase(trust_id=metric.trust_id, metric=metric, on=on, reason=reason.strip())
    )


def _number(text: str) -> float:
    value = float(text.replace(",", "").strip().rstrip("%"))
    if not math.isfinite(value):
        raise ValueError(text)
    return value


# The columns of a metric-values import (its kind, with an example file, is registered in governance.import_kinds).
IMPORT_REQUIRED = ("metric", "date", "value")
IMPORT_OPTIONAL: tuple[str, ...] = ()


@transaction.atomic
def values_import_run(*, actor: Any, trust: Trust, filename: str, content: bytes, params: dict[str, Any]) -> list[str]:
    """For the shared import pipeline: ``metric`` (its short name), ``date`` and ``value`` per row. All or nothing;
    each error names row, column and reason. A metric medlead computes itself cannot be imported over."""
    require(actor, Perm.MANAGE_METRICS, trust)
    table, errors = read_with_header(filename, content, IMPORT_REQUIRED, IMPORT_OPTIONAL)
    if table is None or errors:
        return errors
    metrics = {m.code: m for m in Metric.objects.filter(trust=trust)}
    seen: dict[tuple[str, dt.date], int] = {}
    rows: list[tuple[Metric, dt.date, float]] = []
    for line, row in table.rows:
        code = row.get("metric", "").strip()
        metric = metrics.get(code)
        if not code:
            errors.append(f"row {line}, column 'metric': this value is required")
        elif metric is None:
            errors.append(f"row {line}, column 'metric': the trust has no metric called '{code}'")
        elif metric.origin == MetricOrigin.COMPUTED:
            errors.append(f"row {line}, column 'metric': '{code}' is computed by medlead and cannot be imported")
        when: dt.date | None = None
        try:
            when = parse_day(row.get("date", ""))
        except ValueError:
            errors.append(f"row {line}, column 'date': '{row.get('date', '')}' is not a date like 2026-04-01")
        try:
            value = _number(row.get("value", ""))
        except ValueError:
            errors.append(f"row {line}, column 'value': '{row.get('value', '')}' is not a number")
            continue
        if metric is None or when is None or metric.origin == MetricOrigin.COMPUTED:
            continue
        key = (code, _period(metric, when))
        if key in seen:
            errors.append(f"row {line}, column 'date': {code} already has a value for this period on row {seen[key]}")
            continue
        seen[key] = line
        rows.append((metric, when, value))
    if errors:
        return errors
    for metric, when, value in rows:
        value_record(actor=actor, metric=metric, on=when, value=value, note=f"import {filename}")
    return []


def computed_metrics_ensure(*, trust: Trust) -> list[Metric]:
    """The trust's computed metrics, created from the catalogue where missing (the system's own records)."""
    existing = {m.code: m for m in Metric.objects.filter(trust=trust, origin=MetricOrigin.COMPUTED)}
    out = []
    for entry in catalogue()["computed"]:
        metric = existing.get(entry["code"])
        if metric is None:
            metric = core.create(
                actor=SystemActor("computed metrics catalogue"),
                obj=Metric(
                    trust=trust,
                    code=entry["code"],
                    name=entry["name"],
                    definition=entry["definition"],
                    unit=entry["unit"],
                    direction=entry["direction"],
                    section=entry["section"],
                    origin=MetricOrigin.COMPUTED,
                    source=f"medlead, from its own records ({cited(entry)})",
                ),
            )
        out.append(metric)
    return out


@transaction.atomic
def computed_metrics_record(*, trust: Trust, today: dt.date) -> int:
    """Read every computed metric as at ``today`` and record it for the current month (run each day by the
    scheduler; a month's value is its last reading). Returns how many values were recorded."""

    n = 0
    for metric in computed_metrics_ensure(trust=trust):
        measure = MEASURES.get(metric.code)
        value = measure(trust, today) if measure is not None and metric.active else None
        if value is not None:  # None: nothing to measure this period (no rotation starts this month)
            value_record(
                actor=SystemActor("daily metric readings"), metric=metric, on=today, value=value, note="daily reading"
            )
            n += 1
    return n


# ------------------------------------------------------------------------------------------- board reports


@transaction.atomic
def report_start(*, actor: Any, meeting: Meeting) -> BoardReport:
    """A new draft for a meeting: version 1, or the next version, carrying the narratives of the latest one."""
    require(actor, Perm.VIEW_BOARD_REPORTS, meeting)
    latest = BoardReport.objects.select_for_update().filter(meeting=meeting).order_by("-version").first()
    if latest is not None and latest.status == ReportStatus.DRAFT:
        return latest  # a second click finds the draft the first made
    report = BoardReport(
        trust_id=meeting.trust_id,
        meeting=meeting,
        version=latest.version + 1 if latest else 1,
        narratives=dict(latest.narratives) if latest else {},
    )
    require(actor, Perm.EDIT_BOARD_REPORT, report)
    return core.create(actor=actor, obj=report)


@transaction.atomic
def narrative_set(*, actor: Any, report: BoardReport, section: str, text: str) -> BoardReport:
    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, Perm.EDIT_BOARD_REPORT, report)
    if section not in section_names():
        raise ValidationError({"section": "There is no such section in the board report."})
    if not text.strip():
        raise ValidationError({"text": "Write the narrative for this section: the report cannot be issued without it."})
    narratives = dict(report.narratives) | {section: text.strip()}
    return core.update(actor=actor, obj=report, data={"narratives": narratives})


def missing_narratives(report: BoardReport) -> list[str]:
    """The sections of the report that have no narrative yet: it cannot be issued until there are none."""
    return [name for code, name in section_names().items() if not str(report.narratives.get(code) or "").strip()]


def cannot_issue(missing: list[str]) -> str:
    return f"The report cannot be issued yet: write a narrative for {', '.join(missing)}."


@transaction.atomic
def report_issue(*, actor: Any, report: BoardReport, today: dt.date) -> BoardReport:
    """Freeze the figures and narratives the board is shown. An issued report never changes."""

    report = BoardReport.objects.select_for_update().get(pk=report.pk)
    require(actor, Perm.EDIT_BOARD_REPORT, report)
    missing = missing_narratives(report)
    if missing:
        raise ValidationError(cannot_issue(missing))
    snapshot = {"sections": [s.as_dict() for s in report_sections(report=report, today=today, live=True)]}
    person = getattr(actor, "person", None)
    return core.update(
        actor=actor,
        obj=report,
        data={"status": ReportStatus.ISSUED, "snapshot": snapshot, "issued_on": today, "issued_by": person},
    )


# ------------------------------------------------------------------------------------- meetings and actions


@transaction.atomic
def meeting_create(*, actor: Any, trust: Trust, **fields: Any) -> Meeting:
    require(actor, Perm.MANAGE_MEETINGS, trust)
    return core.create(actor=actor, obj=Meeting(trust=trust, **fields))


@transaction.atomic
def paper_add(*, actor: Any, meeting: Meeting, **fields: Any) -> Paper:
    require(actor, Perm.MANAGE_MEETINGS, meeting)
    return core.create(actor=actor, obj=Paper(trust_id=meeting.trust_id, meeting=meeting, **fields))


@transaction.atomic
def decision_add(*, actor: Any, meeting: Meeting, text: str) -> Decision:
    require(actor, Perm.MANAGE_MEETINGS, meeting)
    return core.create(actor=actor, obj=Decision(trust_id=meeting.trust_id, meeting=meeting, text=text.strip()))


def _same_trust(trust_id: int, **records: Any) -> None:
    for name, record in records.items():
        if record is not None and record.trust_id != trust_id:
            raise ValidationError({name: "Choose one of this trust's records."})


@transaction.atomic
def action_add(
    *,
    actor: Any,
    trust: Trust,
    title: str,
    owner: Any,
    due: dt.date,
    meeting: Meeting | None = None,
    decision: Decision | None = None,
    metric: Metric | None = None,
) -> Action:
    require(actor, Perm.MANAGE_MEETINGS, trust)
    _same_trust(trust.pk, owner=owner, meeting=meeting, decision=decision, metric=metric)
    if decision is not None:
        meeting = decision.meeting
    action = core.create(
        actor=actor,
        obj=Action(
            trust=trust, title=title.strip(), owner=owner, due=due, meeting=meeting, decision=decision, metric=metric
        ),
    )
    notify.email_people(
        [owner],
        subject="An action for you in medlead",
        body=f"You own an action due by {due:%d %B %Y}: {action.title}. Sign in to medlead to see it.",
    )
    return action


@transaction.atomic
def action_update(
    *, actor: Any, action: Action, progress: str, status: str, today: dt.date, due: dt.date | None = None
) -> Action:
    """The owner (or the medical director) records progress, closes the action or drops it; only the medical
    director, associates or the chair move its due date."""
    action = Action.objects.select_for_update().get(pk=action.pk)
    require(actor, Perm.UPDATE_ACTION, action)
    # a new update is a note of its own; without one, the latest progress stays as it was
    data: dict[str, Any] = {"progress": progress.strip()} if progress.strip() else {}
    if status not in ActionStatus.values:
        raise ValidationError({"status": "Choose open, done or dropped."})
    if status == ActionStatus.DROPPED and not progress.strip():
        raise ValidationError({"progress": "Say why the action is dropped."})
    data["status"] = status
    data["closed_on"] = today if status != ActionStatus.OPEN else None
    if due is not None and due != action.due:
        require(actor, Perm.MANAGE_MEETINGS, action)
        data["due"] = due
        data["reminded_on"] = None
    if progress.strip():
        core.create(
            actor=actor,
            obj=ActionNote(
                trust_id=action.trust_id,
                action=action,
                text=progress.strip(),
                by=getattr(actor, "person", None),
                on=today,
            ),
        )
    return core.update(actor=actor, obj=action, data=data)


def actions_remind(*, today: dt.date) -> int:
    """Remind each open action's owner once, when it falls due within the reminder window, and again once it is
    overdue. Run each day by the scheduler. Returns how many reminders went."""
    open_actions = Action.objects.filter(status=ActionStatus.OPEN)
    trusts = sorted(set(open_actions.values_list("trust_id", flat=True)))
    within = Q(pk__in=[])  # each trust's own reminder window
    for t in trusts:
        within |= Q(trust_id=t, due__lte=today + dt.timedelta(days=reminder_days(t, today)))
    due_soon = open_actions.filter(within).select_related("owner")
    sent = 0
    for action in due_soon:
        overdue = action.due < today
        already = action.reminded_on is not None and (not overdue or action.reminded_on >= action.due)
        if already:
            continue
        with transaction.atomic():
            locked = Action.objects.select_for_update().get(pk=action.pk)
            if locked.reminded_on != action.reminded_on:
                continue  # another worker sent it
            words = "was due" if overdue else "is due"
            notify.email_people(
                [action.owner],
                subject="An action in medlead " + ("is overdue" if overdue else "falls due soon"),
                body=f"Your action {words} by {action.due:%d %B %Y}: {action.title}. Sign in to medlead to update it.",
            )
            Action.objects.filter(pk=action.pk).update(reminded_on=today)
            sent += 1
    return sent


# ------------------------------------------------------------------------------------------- external bodies


@transaction.atomic
def body_add(*, actor: Any, trust: Trust, **fields: Any) -> ExternalBody:
    require(actor, Perm.MANAGE_EXTERNAL, trust)
    name = fields.get("name", "").strip()
    if ExternalBody.objects.filter(trust=trust, name__iexact=name).exists():
        raise ValidationError({"name": f"{name} is already in the register."})
    return core.create(actor=actor, obj=ExternalBody(trust=trust, **(fields | {"name": name})))


@transaction.atomic
def contact_add(*, actor: Any, body: ExternalBody, **fields: Any) -> Contact:
    require(actor, Perm.MANAGE_EXTERNAL, body)
    return core.create(actor=actor, obj=Contact(trust_id=body.trust_id, body=body, **fields))


@transaction.atomic
def engagement_add(*, actor: Any, body: ExternalBody, **fields: Any) -> Engagement:
    require(actor, Perm.MANAGE_EXTERNAL, body)
    _same_trust(body.trust_id, by=fields.get("by"))
    return core.create(actor=actor, obj=Engagement(trust_id=body.trust_id, body=body, **fields))
