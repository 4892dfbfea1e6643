"""The demo trust's board business, built through the services as a medical director's office would: two years of
monthly metrics (with some special causes to find), the trust's own imported measures, board meetings with their
decisions and actions (some overdue), the medical director's reports (the last issued, the next a draft) and the
register of external bodies.

The computed metrics' earlier months are demo history: a live installation records them as each month passes."""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from medlead.accounts.models import User
from medlead.core.actors import SystemActor
from medlead.governance import services as board
from medlead.governance.computed import MEASURES
from medlead.governance.models import Metric
from medlead.organisation.models import Person, Trust

# The demo is written through the services as the system would write it, for this stated reason.
DEMO = SystemActor("demo data")

# The computed metrics' demo history is built around the value the demo trust's records give today, so that the
# latest point and its history agree. metric code -> (noise as a share of the level, change), where change is
# ("shift", months before the end, the earlier level's difference from today's), ("spike", months before the end,
# size in noise units) for one point beyond the limits, or () for common cause variation only.
# Computed metrics whose demo history comes from dated records the demo made (issue 32: the rotations published over
# the past year), read as at each month's last day, rather than drawn around today's value.
FROM_RECORDS = frozenset({"notice_on_time"})
HISTORY: dict[str, tuple[float, tuple[Any, ...]]] = {
    "appraisal_rate": (0.015, ("shift", 8, -6.0)),
    "job_plans_signed": (0.03, ("shift", 9, 8.0)),
    "rota_breaches": (0.15, ("spike", 3, 5.0)),
    "successors_ready_now": (0.15, ("shift", 10, -3.0)),
}
OWN_METRICS = [
    # code, name, definition, direction, unit, target, section, source, level, noise, change
    (
        "incidents",
        "Patient safety incidents reported",
        "Patient safety incidents reported by the trust's staff in the month. More reporting is a sign of a "
        "reporting culture, so neither direction is better.",
        "neutral",
        "incidents",
        None,
        "quality_safety",
        "The trust's incident reporting system",
        310.0,
        22.0,
        (),
    ),
    (
        "complaints",
        "Formal complaints about medical care",
        "Formal complaints received in the month in which medical care is a subject.",
        "down",
        "complaints",
        20.0,
        "quality_safety",
        "The trust's complaints team",
        21.0,
        3.0,
        ("shift", 12, 6.0),
    ),
    (
        "shmi",
        "Summary Hospital-level Mortality Indicator (SHMI)",
        "The ratio of the deaths that happened to those expected, over the 12 months to the month shown, as "
        "published monthly by NHS England.",
        "down",
        "",
        1.0,
        "quality_safety",
        "NHS England, SHMI publication",
        1.04,
        0.015,
        ("trend", 7, -0.012),
    ),
    (
        "audit_participation",
        "National clinical audits the trust takes part in",
        "Of the national clinical audits open to the trust, the percentage it takes part in.",
        "up",
        "%",
        95.0,
        "quality_safety",
        "The trust's clinical audit team",
        93.0,
        1.5,
        (),
    ),
]


def _months(end: dt.date, n: int) -> list[dt.date]:
    """The first days of the ``n`` months before the month ``end`` falls in, oldest first."""
    out = []
    year, month = end.year, end.month
    for _ in range(n):
        month -= 1
        if month == 0:
            year, month = year - 1, 12
        out.append(dt.date(year, month, 1))
    return out[::-1]


def _series(rng: random.Random, n: int, level: float, noise: float, change: tuple[Any, ...]) -> list[float]:
    values = [rng.gauss(level, noise) for _ in range(n)]
    if change and change[0] == "spike":
        values[n - change[1]] = level + change[2] * noise
    elif change and change[0] == "trend":
        length, step = change[1], change[2]
        for k in range(length):
            values[n - length + k] = level + step * (k + 1)
    elif change and change[0] == "shift":
        months, earlier = change[1], change[2]
        for k in range(n - months):
            values[k] = rng.gauss(level + earlier, noise)
    return [max(v, 0.0) for v in values]


def build(*, trust: Trust, md: Person, owners: list[Person], today: dt.date, rng: random.Random) -> None:

    months = _months(today, 24)
    for metric in board.computed_metrics_ensure(trust=trust):
        if metric.code in FROM_RECORDS:  # the history is in the records themselves: read each month at its end
            for when in months:
                value = MEASURES[metric.code](trust, (when + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(1))
                if value is not None:
                    board.value_record(actor=DEMO, metric=metric, on=when, value=value)
            continue
        share, change = HISTORY.get(metric.code, (0.12, ()))
        current = MEASURES[metric.code](trust, today)
        assert current is not None
        noise = max(abs(current) * share, 1.0 if metric.unit != "%" else 0.8)
        integer = metric.unit not in ("%", "")
        for when, value in zip(months, _series(rng, len(months), current, noise, change), strict=True):
            value = min(value, 100.0) if metric.unit == "%" else value
            board.value_record(
                actor=DEMO, metric=metric, on=when, value=float(round(value)) if integer else round(value, 1)
            )
    board.computed_metrics_record(trust=trust, today=today)

    own: list[Metric] = []
    for code, name, definition, direction, unit, target, section, source, level, noise, change in OWN_METRICS:
        metric = board.metric_create(
            actor=DEMO,
            trust=trust,
            code=code,
            name=name,
            definition=definition,
            direction=direction,
            unit=unit,
            target=target,
            section=section,
            source=source,
            owner=md,
        )
        own.append(metric)
        digits = 3 if level < 10 else 0
        for when, value in zip(months, _series(rng, len(months), level, noise, change), strict=True):
            board.value_record(actor=DEMO, metric=metric, on=when, value=round(value, digits))
    board.rebase_add(
        actor=DEMO,
        metric=own[1],
        on=months[-12],
        reason="A new complaints process, with early resolution by the service, began this month.",
    )

    # Trust board meetings every two months: the last held seven weeks ago, the next in ten days.
    next_on = today + dt.timedelta(days=10)
    meetings = [
        board.meeting_create(actor=DEMO, trust=trust, body="trust_board", on=next_on - dt.timedelta(days=61 * k))
        for k in range(4, -1, -1)
    ]
    last, upcoming = meetings[-2], meetings[-1]
    decisions = [
        (
            meetings[1],
            "To fund two more clinical director sessions for the surgical division.",
            "Recruit to the two clinical director sessions in surgery",
            -40,
            "done",
        ),
        (
            meetings[2],
            "To bring job planning back on track before the year end.",
            "A job-planning recovery plan with each division",
            -20,
            "open",
        ),
        (
            meetings[3],
            "To review rota compliance in acute medicine after the rise in breaches.",
            "Review the acute medicine rota with the guardian and the rota coordinator",
            -6,
            "open",
        ),
        (
            meetings[3],
            "To strengthen succession for the medical director's portfolio.",
            "Name successors for the associate medical director posts",
            25,
            "open",
        ),
        (
            meetings[3],
            "To reduce complaints about communication in outpatients.",
            "Communication skills sessions for outpatient clinicians",
            45,
            "open",
        ),
    ]
    metric_for = {m.code: m for m in Metric.objects.filter(trust=trust)}
    links = ["", "job_plans_signed", "rota_breaches", "successors_ready_now", "complaints"]
    for n, (meeting, text, action_title, due_in, status) in enumerate(decisions):
        decision = board.decision_add(actor=DEMO, meeting=meeting, text=text)
        owner = md if n in (1, 2) else owners[n % len(owners)]
        action = board.action_add(
            actor=DEMO,
            trust=trust,
            title=action_title,
            owner=owner,
            due=today + dt.timedelta(days=due_in),
            decision=decision,
            metric=metric_for.get(links[n]),
        )
        if status == "done":
            board.action_update(
                actor=DEMO, action=action, progress="Both sessions filled from 1 April.", status="done", today=today
            )
    board.paper_add(actor=DEMO, meeting=upcoming, title="Medical director's report", presented_by=md)
    board.paper_add(
        actor=DEMO, meeting=upcoming, title="Guardian of safe working hours: quarterly report", presented_by=owners[0]
    )

    narratives = {
        "quality_safety": "Incident reporting is stable. Complaints about medical care fell after the new process "
        "began and stay within their new limits, above the target of 20.\n\n"
        "SHMI has fallen for seven months in a row.\nThe mortality review group's report follows in the papers.",
        "workforce": "Job planning has fallen since the spring: a recovery plan is agreed with each division. Vacant "
        "and interim medical management posts show only common cause variation.",
        "revalidation": "The share of doctors appraised in the last 12 months rose after appraiser capacity was "
        "added, and the higher level has held for eight months.",
        "safe_working": "Rota breaches rose sharply three months ago in acute medicine; the rota is being reviewed "
        "with the guardian. Exception reports show common cause variation.",
        "leadership": "More successors are ready now for medical management posts after the talent review.",
        "concerns": "Open cases are reported in aggregate only; no case has passed its review date.",
    }
    issued = board.report_start(actor=DEMO, meeting=last)
    for code, text in narratives.items():
        issued = board.narrative_set(actor=DEMO, report=issued, section=code, text=text)
    issued.refresh_from_db()
    # issued, and so signed, by the medical director (their account, where the demo accounts exist)
    issuer = User.objects.filter(person=md).first() or DEMO
    board.report_issue(actor=issuer, report=issued, today=last.on - dt.timedelta(days=7))
    draft = board.report_start(actor=DEMO, meeting=upcoming)
    board.narrative_set(
        actor=DEMO, report=draft, section="safe_working", text=narratives["safe_working"] + " An update follows."
    )

    bodies = [
        ("North and East Integrated Care Board", "icb", "Chief medical officer", "Dr Ruth Okafor"),
        ("Royal College of Physicians", "royal_college", "Regional adviser", "Dr Alan Price"),
        ("NHS England Workforce, Training and Education", "workforce", "Postgraduate dean", "Professor Jane Lee"),
        ("Care Quality Commission", "cqc", "Relationship owner", "Sam Patel"),
        ("General Medical Council", "gmc", "Employer liaison adviser", "Chris Evans"),
        ("University of the North Medical School", "university", "Dean", "Professor Priya Shah"),
    ]
    for k, (name, kind, role, contact) in enumerate(bodies):
        body = board.body_add(actor=DEMO, trust=trust, name=name, kind=kind)
        board.contact_add(actor=DEMO, body=body, name=contact, role=role)
        board.engagement_add(
            actor=DEMO,
            body=body,
            on=today - dt.timedelta(days=20 + 15 * k),
            summary=f"Quarterly meeting with the {role.lower()}: medical workforce, quality and the year ahead.",
            by=md,
            follow_up=today + dt.timedelta(days=70 - 15 * k),
        )
