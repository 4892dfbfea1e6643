"""Notifications for development: sent from the task queue, retried on failure."""

from __future__ import annotations

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail


@shared_task(autoretry_for=(OSError,), retry_backoff=True, max_retries=5)
def notify(*, person_ids: list[int], subject: str, body: str, emails: list[str] | None = None) -> int:
    """Email each person (and each address in ``emails``, for people outside medlead) separately: none sees who
    else was told."""
    from medlead.organisation.models import Person

    sent = 0
    addresses = list(Person.objects.filter(pk__in=person_ids).exclude(email="").values_list("email", flat=True))
    for email in addresses + list(emails or []):
        sent += send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [email])
    return sent
