"""Invitations to colleagues, sent from the task queue (as the 360's are). A failed send is retried, then shown to
the doctor as failed: they gave the address, so seeing it reveals nothing about answers."""

from __future__ import annotations

from typing import Any

from celery import shared_task
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from medlead.core import notify
from medlead.feedback import tokens
from medlead.feedback.models import Invitation


def message(invitation: Invitation) -> tuple[str, str]:
    link = settings.MEDLEAD_BASE_URL + reverse(
        "feedback:colleague", kwargs={"token": tokens.make(invitation.pk, invitation.nonce)}
    )
    exercise = invitation.exercise
    doctor = exercise.doctor.display_name
    subject = f"Feedback for {doctor}'s revalidation"
    body = (
        f"{doctor} is collecting feedback from colleagues for their revalidation, as every licensed doctor must at "
        "least once every five years.\n\n"
        f"Answer here by {exercise.closes_on:%-d %B %Y}: {link}\n\n"
        "The link works once and is only for you. Someone other than the doctor collects the answers: the doctor "
        "sees only a report that combines them with other people's, never your name or your answers on their own. "
        "You can choose not to take part.\n"
    )
    return subject, body


@shared_task(bind=True, max_retries=3)
def send_invitation(self: Any, invitation_id: int) -> str:
    invitation = Invitation.objects.select_related("exercise__doctor").get(pk=invitation_id)
    subject, body = message(invitation)
    attempts = 1 + (self.max_retries if self.request.is_eager else 0)
    for attempt in range(attempts):
        try:
            notify.send(subject=subject, body=body, address=invitation.email)
            break
        except Exception as exc:  # SMTP and socket errors alike: retry, then record the failure
            if not self.request.is_eager and self.request.retries < self.max_retries:
                raise self.retry(exc=exc, countdown=60 * 2**self.request.retries) from exc
            if attempt == attempts - 1:
                Invitation.objects.filter(pk=invitation_id).update(send_failed=True)
                return "failed"
    Invitation.objects.filter(pk=invitation_id).update(invited_at=timezone.now(), send_failed=False)
    return "sent"
