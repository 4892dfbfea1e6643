"""Background work for the organisation app, run by Celery workers (inline in the zero-setup default)."""

from __future__ import annotations

from celery import shared_task

from medlead.organisation import imports
from medlead.organisation.models import ImportBatch, ImportStatus


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_import_batch(batch_id: int) -> str:
    batch = ImportBatch.objects.select_related("trust", "created_by").get(pk=batch_id)
    if batch.status != ImportStatus.QUEUED:  # already applied or failed: a redelivered task does nothing
        return batch.status
    try:
        plan = imports.apply_import(
            trust=batch.trust,
            kind=batch.kind,
            filename=batch.filename,
            content=bytes(batch.content),
            actor=batch.created_by,
        )
        batch.status, batch.summary = ImportStatus.APPLIED, plan.summary()
    except imports.ImportFailed as failed:
        batch.status, batch.summary = ImportStatus.FAILED, failed.plan.summary()
    batch.save(update_fields=["status", "summary", "updated_at"])
    return batch.status
