"""Background work for the organisation app, run by Celery workers (inline in the zero-setup default)."""

from __future__ import annotations

from celery import shared_task

from medlead.core import imports
from medlead.organisation.models import ImportBatch, ImportStatus


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_import_batch(batch_id: int) -> str:
    """Apply a confirmed import, all or nothing (``core.imports.apply``), for any kind of file."""
    batch = ImportBatch.objects.select_related("trust", "created_by").get(pk=batch_id)
    if batch.status != ImportStatus.QUEUED:  # already applied or failed: a redelivered task does nothing
        return batch.status
    summary = imports.apply(batch=batch)
    batch.status = ImportStatus.FAILED if summary.pop("failed", False) else ImportStatus.APPLIED
    batch.summary = summary
    batch.save(update_fields=["status", "summary", "updated_at"])
    return batch.status
