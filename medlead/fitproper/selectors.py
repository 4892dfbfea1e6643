"""Reads for fit and proper person records: the register of the board (terms, what is due or overdue) and one
member's assessments. A fixed number of queries whatever the size of the board."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from medlead.fitproper.models import Assessment, Outcome
from medlead.fitproper.services import checks_for
from medlead.leadership.models import SelfAssessment
from medlead.organisation.models import BoardMember, Trust


@dataclass
class Seat:
    member: BoardMember
    latest: Assessment | None
    open: list[Assessment]
    overdue: bool
    concerns: int


def register(*, trust: Trust, today: dt.date) -> list[Seat]:
    """Every current board member with their latest decided assessment, the ones open and whether one is overdue.
    Three queries."""
    members = list(BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person"))
    assessments = list(
        Assessment.objects.filter(trust=trust, member__in=members).prefetch_related("checks").order_by("due_on")
    )
    seats = []
    for m in members:
        mine = [a for a in assessments if a.member_id == m.pk]
        decided = [a for a in mine if a.outcome != Outcome.PENDING]
        pending = [a for a in mine if a.outcome == Outcome.PENDING]
        seats.append(
            Seat(
                member=m,
                latest=decided[-1] if decided else None,
                open=pending,
                overdue=any(a.due_on < today for a in pending),
                concerns=sum(1 for a in pending for c in a.checks.all() if c.outcome == "concern"),
            )
        )
    return sorted(seats, key=lambda s: (not s.overdue, not s.open, s.member.person.last_name))


def checklist(assessment: Assessment) -> list[dict[str, Any]]:
    """Each check the assessment needs, with its record if there is one (the self-attestation from the member)."""
    records = {c.code: c for c in assessment.checks.select_related("checked_by")}
    return [{"check": c, "record": records.get(c["code"])} for c in checks_for(assessment.kind, trust=assessment.trust)]


def overdue_count(*, trust: Trust, today: dt.date) -> int:
    return Assessment.objects.filter(
        trust=trust, outcome=Outcome.PENDING, due_on__lt=today, member__end__isnull=True
    ).count()


def board_self_assessment(assessment: Assessment) -> Any:
    """The member's latest submitted self-assessment against NHS England's leadership competency framework for
    board members (the framework medlead already holds, data/frameworks/lcf-board-2024.yaml), within the year
    before the assessment is due: what the annual appraisal draws on. One query."""

    since = assessment.due_on - dt.timedelta(days=365)
    return (
        SelfAssessment.objects.filter(
            person_id=assessment.member.person_id,
            framework__code="lcf-board-2024",
            submitted_at__date__gte=since,
        )
        .order_by("-submitted_at")
        .first()
    )
