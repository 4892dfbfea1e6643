"""Writes to import batches: the upload (the dry run, kept), the confirm and the retry. Every one checks the
permission of the batch's kind; the moves follow ``imports.workflows.IMPORT_BATCH``."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import transaction

from medlead.core import heartbeat
from medlead.core.imports import KINDS
from medlead.core.policy import require
from medlead.imports import pipeline
from medlead.imports.models import ImportBatch, ImportStatus
from medlead.imports.tasks import apply_import_batch, check_import_batch
from medlead.imports.workflows import IMPORT_BATCH


def check(*, actor: Any, trust: Any, kind: str, filename: str, content: bytes, params: dict[str, Any]) -> ImportBatch:
    """The dry run, kept as an ``ImportBatch``: every change the file would make, or every error. Nothing stays.

    A small file is checked at once, in the request. A large one (over ``MEDLEAD_IMPORT_INLINE_MAX_BYTES``) is kept
    as *checking* and checked by a worker (``imports.tasks.check_import_batch``), so that no request waits on tens
    of thousands of rows; its page says so until the check is done."""
    require(actor, KINDS[kind].perm, trust)
    batch = ImportBatch(
        trust=trust,
        kind=kind,
        filename=filename,
        content=content,
        params=params,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    if len(content) > settings.MEDLEAD_IMPORT_INLINE_MAX_BYTES:
        batch.status = ImportStatus.CHECKING
        batch.summary = {"kind": kind, "bytes": len(content)}
        batch.save()
        transaction.on_commit(lambda: check_import_batch.delay(batch.pk))
        return batch
    batch.summary = pipeline.dry_run(actor=actor, batch=batch)
    batch.status = ImportStatus.INVALID if batch.summary["errors"] else ImportStatus.CHECKED
    batch.save()
    return batch


def dry_run(
    *, actor: Any, trust: Any, kind: str, filename: str, content: bytes, params: dict[str, Any]
) -> dict[str, Any]:
    """Every change a file would make, or every error, with nothing kept, not even the batch."""
    require(actor, KINDS[kind].perm, trust)
    batch = ImportBatch(trust=trust, kind=kind, filename=filename, content=content, params=params)
    return pipeline.dry_run(actor=actor, batch=batch)


def apply(*, batch: ImportBatch) -> dict[str, Any]:
    """Import a batch at once, in the caller's process, all or nothing (the worker's part, for scripts and tests):
    the summary says what happened."""
    return pipeline.apply(batch=batch)


def _move(actor: Any, batch: ImportBatch, source: str, target: str) -> tuple[ImportBatch, bool]:
    """Lock the batch and move it from ``source`` to ``target`` (``imports.workflows.IMPORT_BATCH``). A batch
    already moved on (a double click, two tabs, a late retry) is left as it is: (batch, False)."""
    locked = ImportBatch.objects.select_for_update().select_related("trust").defer("content").get(pk=batch.pk)
    if locked.status != source:
        return locked, False
    IMPORT_BATCH.move(actor, locked, target)
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    return locked, True


@transaction.atomic
def confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Queue a checked batch for a worker to apply. A second confirm (a double click, two tabs) does nothing."""
    locked, moved = _move(actor, batch, ImportStatus.CHECKED, ImportStatus.QUEUED)
    if moved:
        heartbeat.clear(locked)  # a run before a "Try again" beat for it: this run starts from no beat
        transaction.on_commit(lambda: apply_import_batch.delay(locked.pk))
    return locked


@transaction.atomic
def retry(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Put a batch that has waited too long in the queue back to "checked", to be confirmed again."""
    return _move(actor, batch, ImportStatus.QUEUED, ImportStatus.CHECKED)[0]
