"""The pipeline's driver (``core.imports``) bound to this app's batch and to the audit trail, which is how a dry run
sees what an import would change: the import runs, its audit rows are read back, and everything is rolled back.

Used by the request (a small file's dry run), the workers (``imports.tasks``) and the benchmark."""

from __future__ import annotations

from typing import Any, cast

from django.apps import apps
from django.db.models.functions import Length, Substr

from medlead.core import imports as core
from medlead.core.actors import SystemActor
from medlead.core.audit import AuditAction, AuditEvent
from medlead.imports.models import ImportBatch

# Who a worker acts as when the batch's uploader is gone (their account deleted): the system, saying why.
WORKER = SystemActor("import worker")


class AuditTrail:
    """The changes an import wrote, read back from the audit rows after a marker (``core.imports.ChangeLog``)."""

    def marker(self) -> int:
        return AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0

    def since(self, marker: int, actor: Any, trust_id: int) -> tuple[int, int, list[str]]:
        events = AuditEvent.objects.filter(pk__gt=marker, trust_id=trust_id)
        if getattr(actor, "pk", None):
            events = events.filter(actor_id=actor.pk)
        creates = updates = 0
        lines: list[str] = []
        for e in events.order_by("pk").values("action", "model", "object_repr", "changes")[:5000]:
            what = _verbose(e["model"])
            if e["action"] == AuditAction.CREATE:
                creates += 1
                lines.append(f"Add {what}: {e['object_repr']}")
            elif e["action"] == AuditAction.UPDATE:
                updates += 1
                lines.append(f"Change {what} {e['object_repr']}: {', '.join(sorted(e['changes'] or {}))}")
        return creates, updates, lines


AUDIT_TRAIL = AuditTrail()


def _verbose(label: str) -> str:
    try:
        return str(apps.get_model(label)._meta.verbose_name)
    except (LookupError, ValueError):
        return label.split(".")[-1]


def actor_of(batch: ImportBatch) -> Any:
    """Who the import acts as: the person who uploaded it, or the import worker if their account is gone."""
    return batch.created_by or WORKER


READ_EVERY = 1024 * 1024  # bytes of a stored file read at a time


def stored_content(batch_id: int) -> bytes:
    """A batch's file read from the database a few megabytes at a time. Read whole, a 30 MB national file cost the
    worker 120 MB more at its peak, in the database driver's copies of it (ADR 0031)."""
    batches = ImportBatch.objects.filter(pk=batch_id)
    size = batches.annotate(size=Length("content")).values_list("size", flat=True).get() or 0
    parts = [
        cast("bytes", part)  # Substr is typed as text; on a binary field it gives bytes
        for start in range(0, size, READ_EVERY)
        for part in batches.annotate(part=Substr("content", start + 1, READ_EVERY)).values_list("part", flat=True)
    ]
    return b"".join(parts)  # the file, and its parts until they go: twice its size at the peak, not five times


def _with_content(batch: ImportBatch) -> ImportBatch:
    """The batch with its file, read a part at a time if it was left out of the query (``defer("content")``)."""
    if batch.pk and "content" in batch.get_deferred_fields():
        batch.content = stored_content(batch.pk)
    return batch


def dry_run(*, actor: Any, batch: ImportBatch) -> dict[str, Any]:
    """Every change the batch's file would make, or every error, with nothing kept."""
    return core.dry_run(actor=actor, batch=_with_content(batch), changes=AUDIT_TRAIL)


def apply(*, batch: ImportBatch) -> dict[str, Any]:
    """Import a confirmed batch for real, all or nothing; the summary says what happened (``failed`` if nothing)."""
    return core.apply(actor=actor_of(batch), batch=_with_content(batch), summary=batch.summary, changes=AUDIT_TRAIL)
