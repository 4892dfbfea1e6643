"""Background work shared by every app: email goes out from the task queue, retried on failure."""

from __future__ import annotations

from celery import shared_task

from medlead.core import notify


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5, acks_late=True, reject_on_worker_lost=True)
def send_email(*, subject: str, body: str, to: list[str] | None = None, person_ids: list[int] | None = None) -> int:
    """One message to each address (and each person's address, read when sending) separately, so that no
    recipient sees who else was told."""
    from medlead.organisation.models import Person

    addresses = list(to or [])
    if person_ids:
        addresses += Person.objects.filter(pk__in=person_ids).exclude(email="").values_list("email", flat=True)
    return sum(notify.send(subject=subject, body=body, address=address) for address in dict.fromkeys(addresses))
