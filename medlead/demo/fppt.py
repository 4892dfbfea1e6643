"""The demo board's fit and proper person records: every member assessed at appointment; this year's annual
assessments complete for most, one overdue with checks still to record, one with a check that found a concern,
and the medical director's own still waiting for their self-attestation; a leaver whose reference is still to
write. Demo history, written directly."""

from __future__ import annotations

import datetime as dt

from medlead.core import audit as auditor
from medlead.core.actors import SystemActor
from medlead.fitproper.models import Assessment, Check, Kind, Outcome
from medlead.fitproper.services import checks_for
from medlead.organisation import services as organisation
from medlead.organisation.models import BoardMember, BoardRole, Person, StaffKind, Trust

# The demo is written through the services as the system would write it, for this stated reason.
DEMO = SystemActor("demo data")


def build(*, trust: Trust, checker: Person, today: dt.date) -> None:
    members = list(BoardMember.objects.filter(trust=trust, end__isnull=True).select_related("person").order_by("pk"))
    chair = next(m for m in members if m.role == BoardRole.CHAIR)
    neds = [m for m in members if m.role == BoardRole.NON_EXECUTIVE]
    sid = organisation.senior_independent_set(actor=DEMO, seat=neds[1], reason="demo board")
    for k, m in enumerate(members):  # non-executive terms of three years; one ends within the quarter
        if m.role in (BoardRole.NON_EXECUTIVE, BoardRole.CHAIR) and m.start:
            ends = (
                today + dt.timedelta(days=45) if m.pk == neds[3].pk else m.start.replace(year=m.start.year + 3 + k % 2)
            )
            BoardMember.objects.filter(pk=m.pk).update(term_ends=max(ends, today + dt.timedelta(days=1)))
    # the stories need members appointed before this year, whose annual assessments have begun
    seasoned = [m for m in members if m.start and m.start.year < today.year and m.pk != chair.pk]
    overdue = next((m for m in seasoned if m.role == BoardRole.NON_EXECUTIVE and m.pk != sid.pk), neds[2])
    concern = next((m for m in seasoned if m.is_executive and m.role != BoardRole.MEDICAL_DIRECTOR), members[1])
    md = next(m for m in members if m.role == BoardRole.MEDICAL_DIRECTOR)

    made: list[Assessment] = []
    checks: list[Check] = []

    def assess(
        m: BoardMember,
        kind: str,
        year: int,
        due: dt.date,
        *,
        done: int | None = None,
        decided: bool = True,
        attested: bool = True,
        concern_code: str = "",
    ) -> None:
        signer = sid.person if m.pk == chair.pk else chair.person
        a = Assessment.objects.create(
            trust=trust,
            member=m,
            kind=kind,
            year=year,
            due_on=due,
            attested_on=due - dt.timedelta(days=14) if attested else None,
            outcome=Outcome.FIT if decided else Outcome.PENDING,
            decided_on=due - dt.timedelta(days=3) if decided else None,
            decided_by=signer if decided else None,
        )
        made.append(a)
        wanted = [c for c in checks_for(kind) if c["code"] != "self_attestation"]
        for c in wanted[: len(wanted) if done is None else done]:
            checks.append(
                Check(
                    trust=trust,
                    assessment=a,
                    code=c["code"],
                    done_on=due - dt.timedelta(days=20),
                    outcome="concern" if c["code"] == concern_code else "satisfactory",
                    evidence="Seen and kept in the board member's file."
                    if c["code"] != concern_code
                    else "A county court judgment found in the register search; the member has explained it.",
                    checked_by=checker,
                )
            )

    for m in members:
        start = m.start or today.replace(year=today.year - 3)
        assess(m, Kind.APPOINTMENT, start.year, start)
        if m.pk == overdue.pk:
            assess(m, Kind.ANNUAL, today.year, today - dt.timedelta(days=20), done=3, decided=False)
        elif m.pk == concern.pk:
            assess(m, Kind.ANNUAL, today.year, today + dt.timedelta(days=12), decided=False, concern_code="insolvency")
        elif m.pk == md.pk:
            assess(m, Kind.ANNUAL, today.year, today + dt.timedelta(days=10), done=0, decided=False, attested=False)
        elif start.year < today.year:
            assess(m, Kind.ANNUAL, today.year, today - dt.timedelta(days=40))
    Check.objects.bulk_create(checks)
    # a non-executive director who left two months ago, whose reference for their next employer is still to write
    former = (
        Person.objects.filter(trust=trust, kind=StaffKind.MANAGER, board_seats__isnull=True, user__isnull=True)
        .order_by("pk")
        .first()
    )
    if former is not None:  # seated and ended through the services, as the system
        ended = today - dt.timedelta(days=60)
        seat = organisation.board_seat_create(
            actor=DEMO,
            seat=BoardMember(
                trust=trust,
                role=BoardRole.NON_EXECUTIVE,
                person=former,
                start=ended.replace(year=ended.year - 3),
                term_ends=ended,
            ),
            reason="demo board",
        )
        organisation.board_seat_end(actor=DEMO, seat=seat, end=ended, reason="demo board: a leaver")
    auditor.audit_bulk_create(actor=DEMO, objs=[*made, *checks], note="demo fit and proper records")
