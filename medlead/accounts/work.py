"""Grants of access on the trust's home page: the requests waiting for this person's decision (a system
administrator covering them or the trust's Caldicott guardian; never their own requests or their own account)."""

from __future__ import annotations

from medlead.accounts import selectors
from medlead.core.policy import role_scopes
from medlead.core.roles import Role
from medlead.core.work import Task, Visit, needs_you

_DECIDERS = frozenset({Role.SYSTEM_ADMIN, Role.CALDICOTT_GUARDIAN})


@needs_you(order=120)
def access_requests(visit: Visit) -> list[Task]:
    if not any(name in _DECIDERS for name, _, _ in role_scopes(visit.actor)):
        return []  # no query for everyone else
    waiting = len(selectors.pending_for(actor=visit.actor, trust=visit.trust))
    if not waiting:
        return []
    return [
        Task(
            "requests for access wait for your approval",
            waiting,
            visit.url("access:requests_waiting"),
            urgent=True,
            one="request for access waits for your approval",
        )
    ]
