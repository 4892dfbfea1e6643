"""Leadership on the trust's home page: 360 feedback cycles with nominations to approve."""

from __future__ import annotations

from medlead.core.work import Task, Visit, needs_you
from medlead.leadership.selectors import cycles_to_approve


@needs_you(order=110)
def nominations_to_approve(visit: Visit) -> list[Task]:
    to_approve = cycles_to_approve(actor=visit.actor, trust=visit.trust)
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
