"""The one way medlead emails people and starts background work: queued on the task queue only once the change
that prompted it is committed, so a change that rolls back never emails anyone, and a worker never looks for a row
that is not yet there.

Request and service code calls ``email`` / ``email_people`` for a message and ``after_commit`` for any other task;
only a worker calls ``send``, the one place a message leaves medlead. A test (tests/unit/test_one_way.py) holds the
rest of the code base to this.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Protocol

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction


class Task(Protocol):
    """A Celery task, as far as queuing one goes."""

    def delay(self, *args: Any, **kwargs: Any) -> Any: ...


def after_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Queue ``task`` with these arguments once the current transaction commits (at once outside a transaction);
    nothing is queued if it rolls back."""
    transaction.on_commit(lambda: task.delay(*args, **kwargs))


def email(addresses: Iterable[str] = (), *, subject: str, body: str, person_ids: Iterable[int | None] = ()) -> None:
    """Email each address, and each person by id (their address is read when sending), after the current
    transaction commits. Blanks and repeats are skipped."""
    # inline: core.tasks sends through this module (``send``), so it cannot be imported while this one loads
    from medlead.core.tasks import send_email

    to = list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))
    ids = list(dict.fromkeys(i for i in person_ids if i))
    if not to and not ids:
        return
    after_commit(send_email, to=to, person_ids=ids, subject=subject, body=body)


def email_people(people: Iterable[Any], *, subject: str, body: str) -> None:
    """Email each person (a ``Person``, or None) who has an address, after the current transaction commits."""
    email((getattr(p, "email", "") for p in people if p is not None), subject=subject, body=body)


def send(*, subject: str, body: str, address: str) -> int:
    """Send one message to one address now (1 if sent). For the task queue's workers only, running a task queued
    through ``email`` or ``after_commit``: one message an address, so that no recipient sees who else was told."""
    return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [address])
