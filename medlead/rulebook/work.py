"""The rules page on the owners' "what needs you": national values that await the trust's confirmation."""

from __future__ import annotations

from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.rulebook.selectors import awaiting_count


@needs_you(order=130)
def values_to_confirm(visit: Visit) -> list[Task]:
    if not can(visit.actor, Perm.CONFIRM_VALUES, visit.trust):
        return []
    count = awaiting_count(visit.trust, visit.today)
    if not count:
        return []
    return [
        Task(
            "national values await your trust's confirmation",
            count,
            visit.url("rulebook:values") + "?show=awaiting",
            one="national value awaits your trust's confirmation",
        )
    ]
