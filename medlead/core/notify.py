"""The one way medlead emails people: queued on the task queue only once the change that prompted it is
committed, so a change that rolls back never emails anyone."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db import transaction


def email(addresses: Iterable[str] = (), *, subject: str, body: str, person_ids: Iterable[int | None] = ()) -> None:
    """Email each address, and each person by id (their address is read when sending), after the current
    transaction commits. Blanks and repeats are skipped."""
    to = list(dict.fromkeys(a.strip() for a in addresses if a and a.strip()))
    ids = list(dict.fromkeys(i for i in person_ids if i))
    if not to and not ids:
        return

    def queue() -> None:
        from medlead.core.tasks import send_email

        send_email.delay(to=to, person_ids=ids, subject=subject, body=body)

    transaction.on_commit(queue)


def email_people(people: Iterable[Any], *, subject: str, body: str) -> None:
    """Email each person (a ``Person``, or None) who has an address, after the current transaction commits."""
    email((getattr(p, "email", "") for p in people if p is not None), subject=subject, body=body)
