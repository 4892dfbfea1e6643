"""Invitations and reminders to raters, sent from the task queue. A failed send is retried, then shown to the
subject as failed (they nominated the address, so seeing it reveals nothing about answers)."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from medlead.core import notify
from medlead.leadership import tokens
from medlead.leadership.models import Rater, RaterGroup


def _message(rater: Rater, reminder: bool) -> tuple[str, str]:
    link = settings.MEDLEAD_BASE_URL + reverse("leadership:rate", kwargs={"token": tokens.make(rater.pk, rater.nonce)})
    cycle = rater.cycle
    subject = ("Reminder: " if reminder else "") + f"Feedback for {cycle.subject.display_name}"
    body = (
        f"{cycle.subject.display_name} has asked for your feedback on their leadership ({cycle.framework.name}).\n\n"
        f"Answer here by {cycle.closes_on:%d %B %Y}: {link}\n\n"
        "You can save a draft and come back; you submit once. "
    )
    if rater.group == RaterGroup.LINE_MANAGER:
        body += "As their line manager, your answers are shown on their own in the report and so are identifiable.\n"
    else:
        body += "Your answers are anonymous: they are shown only combined with at least two other people's.\n"
    return subject, body


@shared_task(bind=True, max_retries=3)
def send_rater_email(self: Any, rater_id: int, reminder: bool = False) -> str:
    rater = Rater.objects.select_related("cycle__subject", "cycle__framework").get(pk=rater_id)
    subject, body = _message(rater, reminder)
    # A worker retries later with back-off; run inline (the zero-setup default), the tries happen at once.
    attempts = 1 + (self.max_retries if self.request.is_eager else 0)
    for attempt in range(attempts):
        try:
            notify.send(subject=subject, body=body, address=rater.email)
            break
        except Exception as exc:  # SMTP and socket errors alike: retry, then record the failure
            if not self.request.is_eager and self.request.retries < self.max_retries:
                raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
            if attempt == attempts - 1:
                Rater.objects.filter(pk=rater_id).update(send_failed=True)
                return "failed"
    field = "reminded_at" if reminder else "invited_at"
    Rater.objects.filter(pk=rater_id).update(**{field: timezone.now(), "send_failed": False})
    return "sent"
