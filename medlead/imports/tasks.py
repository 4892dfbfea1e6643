"""The import pipeline's background work, run by Celery workers (inline in the zero-setup default)."""

from __future__ import annotations

from celery import shared_task
from django.db import transaction

from medlead.core import heartbeat
from medlead.imports import pipeline
from medlead.imports.models import ImportBatch, ImportStatus


def _locked(batch_id: int) -> ImportBatch:
    # the file is left out, and read a part at a time by the pipeline (``pipeline.stored_content``)
    return (
        ImportBatch.objects.select_for_update(of=("self",))
        .select_related("trust", "created_by")
        .defer("content")
        .get(pk=batch_id)
    )


@shared_task(acks_late=True, reject_on_worker_lost=True)
def apply_import_batch(batch_id: int) -> str:
    """Apply a confirmed import, all or nothing (``core.imports.apply``), for any kind of file.

    Crash-safe and idempotent: the batch row is locked and the whole import runs in that one transaction, so a
    worker killed mid-import leaves the batch queued with nothing changed; the task is acknowledged only when done
    and handed back to the queue when its worker dies, and a second delivery (or a retry) waits for the lock, then
    finds the batch no longer queued and does nothing. While it runs, the worker's heartbeat (``core.heartbeat``)
    shows it is alive; a batch whose heartbeat stops may be tried again by its owner."""
    found = ImportBatch.objects.only("pk", "status").get(pk=batch_id)
    if found.status != ImportStatus.QUEUED:
        return found.status
    # the heartbeat says, from outside this transaction, that the import is running (core.heartbeat)
    with heartbeat.beating(found), transaction.atomic():
        batch = _locked(batch_id)
        if batch.status != ImportStatus.QUEUED:
            return batch.status
        summary = pipeline.apply(batch=batch)
        batch.status = ImportStatus.FAILED if summary.pop("failed", False) else ImportStatus.APPLIED
        batch.summary = summary
        batch.save(update_fields=["status", "summary", "updated_at"])
    return batch.status


@shared_task(acks_late=True, reject_on_worker_lost=True)
def check_import_batch(batch_id: int) -> str:
    """The dry run of a large file (``core.imports.dry_run``), on a worker. Idempotent: a batch no longer being
    checked (a second delivery) is left as it is."""
    with transaction.atomic():
        batch = _locked(batch_id)
        if batch.status != ImportStatus.CHECKING:
            return batch.status
        summary = pipeline.dry_run(actor=pipeline.actor_of(batch), batch=batch)
        batch.status = ImportStatus.INVALID if summary["errors"] else ImportStatus.CHECKED
        batch.summary = summary
        batch.save(update_fields=["status", "summary", "updated_at"])
    return batch.status
