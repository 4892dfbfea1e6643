"""Keeping ``Trust.region`` in step with the dated region rows (issue 34): the policy reads a trust's region today
from the trust record, so each day (``organisation.tasks.regions_in_step``, on Celery beat) and whenever a row is
saved in the Django admin, every trust whose region today differs from its record is moved, audited. Where a
region's trusts moved together (a row naming a region), the move is recorded as a row of the trust's own, so that
its region on an earlier day stays as it was."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from medlead.core import audit as auditor
from medlead.organisation.models import Receiver, ReceiverKind, Trust, receiving_row
from medlead.organisation.receiving import membership


@transaction.atomic
def regions_in_step(*, actor: Any, today: dt.date) -> int:
    """Move every trust whose region today (by the rows) is not its record's; how many moved. Idempotent."""
    rows = list(Receiver.objects.filter(kind=ReceiverKind.REGION).order_by("applies_from", "pk"))
    pure = [receiving_row(r) for r in rows]
    by_pk = {r.pk: r for r in rows}
    moved = 0
    for trust in Trust.objects.select_for_update().order_by("pk"):
        found = membership(trust.pk, trust.region_id, pure, today)
        if found.region_id == trust.region_id:
            continue
        came_from = trust.region_id
        for step in found.moved_by:  # each regional move that took it there, recorded as the trust's own
            regional = by_pk[step.pk]
            own = Receiver(
                kind=ReceiverKind.REGION,
                trust=trust,
                belongs_to_id=regional.belongs_to_id,
                applies_from=regional.applies_from,
                source_title=regional.source_title,
                source_url=regional.source_url,
                verified=regional.verified,
            )
            own.full_clean()
            own.save()
            own.moves_from_id = came_from  # where it was: the save read it from the rows, which may not know it
            Receiver.objects.filter(pk=own.pk).update(moves_from_id=came_from)
            auditor.audit_create(actor=actor, obj=own, note="a region's trusts moved together")
            came_from = regional.belongs_to_id
        before = auditor.snapshot(trust)
        trust.region_id = found.region_id
        trust.save(update_fields=["region"])
        auditor.audit_update(actor=actor, obj=trust, before=before, note="its region from the dated rows")
        moved += 1
    return moved
