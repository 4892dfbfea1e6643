"""Fit and proper persons on the trust's home page: board members' terms ending and assessments overdue for the
chair and the company secretary; assessments to sign off for whoever signs them; a member's own self-attestation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from medlead.core.policy import Perm, can, has_board_seat
from medlead.core.work import Task, Visit, needs_you
from medlead.fitproper.models import Assessment, Outcome
from medlead.organisation.models import BoardMember


@needs_you(order=100)
def assessments(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    actor, trust, today, pid = visit.actor, visit.trust, visit.today, visit.person_id
    manages = can(actor, Perm.MANAGE_FPPT, trust)
    if not manages and pid is None:
        return []
    # a member's own open assessment, for one who neither keeps the records nor sits on the board (who sign them)
    own = (
        None
        if manages or pid is None or has_board_seat(actor, trust)
        else visit.exists(
            Assessment.objects.filter(
                trust=trust, outcome=Outcome.PENDING, member__end__isnull=True, member__person_id=pid
            )
        )
    )
    ending = (
        visit.count(
            BoardMember.objects.filter(trust=trust, end__isnull=True, term_ends__lte=today + dt.timedelta(days=90))
        )
        if manages
        else None
    )
    return lambda: (
        [] if own is not None and not own.value else _assessments(visit, manages, ending.value if ending else 0)
    )


def _assessments(visit: Visit, manages: bool, ending: int) -> list[Task]:
    actor, trust, today, pid = visit.actor, visit.trust, visit.today, visit.person_id
    out: list[Task] = []
    waiting_url = visit.url("fitproper:waiting")
    # the open assessments of the trust's current board: a board's few members, read once
    pending = list(
        Assessment.objects.filter(trust=trust, outcome=Outcome.PENDING, member__end__isnull=True).select_related(
            "member"
        )
    )
    if manages:
        if ending:
            out.append(
                Task(
                    "board members' terms of office end within 90 days, or have ended",
                    ending,
                    waiting_url + "?show=ending",
                    one="board member's term of office ends within 90 days, or has ended",
                )
            )
        late = sum(1 for a in pending if a.is_overdue(today))
        if late:
            out.append(
                Task(
                    "board members' fit and proper assessments are overdue",
                    late,
                    waiting_url + "?show=overdue",
                    True,
                    one="board member's fit and proper assessment is overdue",
                )
            )
    if pid is not None:
        mine = next((a for a in pending if a.member.person_id == pid and a.attested_on is None), None)
        if mine:
            url = visit.url("fitproper:assessment", pk=mine.pk)
            out.append(Task("Make your fit and proper self-attestation", None, url))
        ready: list[Any] = []
        if has_board_seat(actor, trust):  # only a seat signs
            ready = [a for a in pending if a.attested_on is not None and can(actor, Perm.SIGN_OFF_FPPT, a)]
        if ready:
            out.append(
                Task(
                    "fit and proper assessments ready for your sign-off",
                    len(ready),
                    waiting_url + "?show=ready",
                    one="fit and proper assessment ready for your sign-off",
                )
            )
    return out
