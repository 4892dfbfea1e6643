"""Information transfers on the trust's home page: for a responsible officer, the transfers other trusts asked them
for, to complete; those sent to them, not yet read; their requests waiting longer than expected; and the doctors who
have moved in whose transfer nobody has asked for. For a doctor, that a transfer about them is under way or was
lately sent. Every count is read with the page's others, in one query."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.transfers import selectors


def _ro(visit: Visit) -> bool:
    return can(visit.actor, Perm.REQUEST_INFORMATION_TRANSFER, visit.trust)


def _transfers(visit: Visit, found: Any, words: str, one: str, listed: str) -> Callable[[], list[Task]]:
    """One task counting ``found``: a list of one opens that transfer, more open the ``listed`` page."""
    count, first = visit.count(found), visit.first(found, "pk")

    def tasks() -> list[Task]:
        if not count.value or first.value is None:
            return []
        url = visit.url("transfers:transfer", pk=first.value[0]) if count.value == 1 else visit.url(listed)
        return [Task(words, count.value, url, one=one)]

    return tasks


@needs_you(order=11)
def to_complete(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not _ro(visit):
        return []
    return _transfers(
        visit,
        selectors.to_complete(trust=visit.trust, person_id=visit.person_id),
        "information transfers other trusts asked you for, to complete",
        "information transfer another trust asked you for, to complete",
        "transfers:to_complete",
    )


@needs_you(order=13)
def to_read(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not _ro(visit):
        return []
    return _transfers(
        visit,
        selectors.to_read(trust=visit.trust, person_id=visit.person_id),
        "information transfers sent to you, not yet read",
        "information transfer sent to you, not yet read",
        "transfers:to_read",
    )


@needs_you(order=14)
def waiting_long(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not _ro(visit):
        return []
    days = selectors.expected_days(trust=visit.trust, day=visit.today)
    return _transfers(
        visit,
        selectors.waiting_since(trust=visit.trust, before=visit.today - dt.timedelta(days=days)),
        f"requests for information transfers waiting more than {days} days",
        f"request for an information transfer waiting more than {days} days",
        "transfers:waiting",
    )


@needs_you(order=16)
def to_ask(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not _ro(visit):
        return []
    count = visit.count(selectors.doctors_to_ask(trust=visit.trust))

    def tasks() -> list[Task]:
        if not count.value:
            return []
        return [
            Task(
                "doctors who moved here from another trust on medlead, whose information transfer nobody has asked for",
                count.value,
                visit.url("transfers:to_ask"),
                one="doctor who moved here from another trust on medlead, whose information transfer nobody has asked "
                "for",
            )
        ]

    return tasks


@needs_you(order=127)
def about_you(visit: Visit) -> list[Task] | Callable[[], list[Task]]:
    if not visit.own or visit.person_id is None:
        return []
    found = visit.exists(selectors.of_doctor_lately(trust=visit.trust, doctor_id=visit.person_id, today=visit.today))

    def tasks() -> list[Task]:
        if not found.value:
            return []
        return [
            Task(
                "Your information transfer between responsible officers: see what happened",
                None,
                visit.url("transfers:mine"),
            )
        ]

    return tasks
