"""Daily work for the board's view, run by Celery beat (``CELERY_BEAT_SCHEDULE`` in settings): each trust's
computed metrics are read for the current month, one task per trust so a national installation spreads the work
over its workers; action owners are reminded before and after an action's due date."""

from __future__ import annotations

from celery import shared_task

from medlead.core.dates import today
from medlead.fitproper.services import cycle
from medlead.governance.services import actions_remind, computed_metrics_record
from medlead.organisation.models import Trust


@shared_task
def record_metrics_all() -> int:

    ids = list(Trust.objects.values_list("pk", flat=True))
    for trust_id in ids:
        record_metrics.delay(trust_id)
    return len(ids)


@shared_task(acks_late=True, reject_on_worker_lost=True)
def record_metrics(trust_id: int) -> int:
    """Idempotent: a second run on the same day records the same values."""

    trust = Trust.objects.filter(pk=trust_id).first()
    return computed_metrics_record(trust=trust, today=today()) if trust else 0


@shared_task(acks_late=True, reject_on_worker_lost=True)
def remind_actions() -> int:

    return actions_remind(today=today())


@shared_task(acks_late=True, reject_on_worker_lost=True)
def fit_and_proper_cycle() -> int:
    """Open board members' fit and proper assessments as they fall due, in every trust."""

    return sum(cycle(trust=t, today=today()) for t in Trust.objects.all())
