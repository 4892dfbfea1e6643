"""Daily work for the organisation, run by Celery beat (``CELERY_BEAT_SCHEDULE`` in settings): each trust's region
kept in step with the dated rows of who receives what (issue 34), so that a change entered ahead of its date takes
effect on the day."""

from __future__ import annotations

from celery import shared_task

from medlead.core.actors import SystemActor
from medlead.core.dates import today
from medlead.organisation.receivers_sync import regions_in_step as keep_in_step


@shared_task(acks_late=True, reject_on_worker_lost=True)
def regions_in_step() -> int:
    """Idempotent: a second run on the same day moves nothing."""
    return keep_in_step(actor=SystemActor("each trust's region from the dated rows"), today=today())
