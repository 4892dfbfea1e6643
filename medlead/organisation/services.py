"""Writes to organisation data. Every one validates and is audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import ImportBatch, ImportStatus, Person, Trust
from medlead.organisation.workflows import IMPORT_BATCH


def person_create(*, actor: Any, trust: Trust, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, trust)
    return core.create(actor=actor, obj=Person(trust=trust, **data))


def person_update(*, actor: Any, person: Person, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, person)
    return core.update(actor=actor, obj=person, data=data)


def _move_batch(actor: Any, batch: ImportBatch, source: str, target: str) -> tuple[ImportBatch, bool]:
    """Lock the batch and move it from ``source`` to ``target`` (``organisation.workflows.IMPORT_BATCH``). A batch
    already moved on (a double click, two tabs, a late retry) is left as it is: (batch, False)."""
    locked = ImportBatch.objects.select_for_update().select_related("trust").defer("content").get(pk=batch.pk)
    if locked.status != source:
        return locked, False
    IMPORT_BATCH.move(actor, locked, target)
    locked.status = target
    locked.save(update_fields=["status", "updated_at"])
    return locked, True


@transaction.atomic
def import_confirm(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Queue a checked batch for a worker to apply. A second confirm (a double click, two tabs) does nothing."""
    from medlead.organisation.tasks import apply_import_batch

    locked, moved = _move_batch(actor, batch, ImportStatus.CHECKED, ImportStatus.QUEUED)
    if moved:
        transaction.on_commit(lambda: apply_import_batch.delay(locked.pk))
    return locked


@transaction.atomic
def import_retry(*, actor: Any, batch: ImportBatch) -> ImportBatch:
    """Put a batch that has waited too long in the queue back to "checked", to be confirmed again."""
    return _move_batch(actor, batch, ImportStatus.QUEUED, ImportStatus.CHECKED)[0]


@transaction.atomic
def import_layout_save(*, actor: Any, trust: Trust, code: str, headings: dict[str, str]) -> Any:
    """The trust's own headings for a national layout, where its file names a column differently. A heading left
    empty goes back to medlead's default."""
    from django.core.exceptions import ValidationError

    from medlead.core.imports import KINDS
    from medlead.core.layouts import layouts
    from medlead.organisation.models import ImportLayout

    default = layouts()[code]
    require(actor, KINDS[default.kind].perm, trust)
    known = default.headings()
    unknown = sorted(set(headings) - set(known))
    if unknown:
        raise ValidationError(f"The {default.label} layout has no column {', '.join(unknown)}.")
    changed = {c: " ".join(h.split()) for c, h in headings.items() if h.strip() and " ".join(h.split()) != known[c]}
    too_long = [c for c, h in changed.items() if len(h) > 200]
    if too_long:
        raise ValidationError({too_long[0]: "A heading is at most 200 characters."})
    layout = ImportLayout.objects.select_for_update().filter(trust=trust, code=code).first()
    if layout is None:
        layout = core.create(actor=actor, obj=ImportLayout(trust=trust, code=code, headings=changed))
    else:
        layout = core.update(actor=actor, obj=layout, data={"headings": changed})
    return layout
