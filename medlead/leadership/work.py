"""Leadership on the trust's home page: 360 feedback cycles with nominations to approve."""

from __future__ import annotations

from collections.abc import Callable

from medlead.core.work import Task, Visit, needs_you
from medlead.leadership.models import FeedbackCycle
from medlead.leadership.selectors import cycles_to_approve
from medlead.structure.selectors import current_holdings
from medlead.structure.work import structure_today


@needs_you(order=110)
def nominations_to_approve(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    pid = visit.person_id
    if pid is None:
        return []
    # Only a cycle's facilitator, or a line manager (who holds a post of the trust), approves nominations: for
    # everyone else two yes/noes among the page's counts, and the cycles are read only for those who may.
    facilitates = visit.exists(FeedbackCycle.objects.filter(trust=visit.trust, facilitator_id=pid))
    holds_a_post = visit.exists(current_holdings(trust=visit.trust).filter(person_id=pid))
    return lambda: _nominations(visit) if facilitates.value or holds_a_post.value else []


def _nominations(visit: Visit) -> list[Task]:
    # the count and the first cycle's address only: today's posts and holders as the page reads them for all
    to_approve = cycles_to_approve(actor=visit.actor, trust=visit.trust, structure=structure_today(visit), bare=True)
    if not to_approve:
        return []
    return [
        Task(
            "360 feedback cycles with nominations to approve",
            len(to_approve),
            # one cycle: the cycle itself (already read); more: the list of exactly those
            visit.url("leadership:approve", pk=to_approve[0].pk)
            if len(to_approve) == 1
            else visit.url("leadership:waiting"),
            one="360 feedback cycle with nominations to approve",
        )
    ]
