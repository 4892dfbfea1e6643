"""The import batch's workflow: checked, confirmed, applied by a worker. It stays here until the ``imports``
app owns the batch (issue 28)."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow
from medlead.organisation.models import ImportStatus

I = ImportStatus  # noqa: E741
IMPORT_BATCH = Workflow(
    name="import",
    state_field="status",
    states=I,
    moves=(
        Move(I.CHECKING, I.CHECKED, None, "Checked"),
        Move(I.CHECKING, I.INVALID, None, "Has errors"),
        Move(I.CHECKED, I.QUEUED, Perm.CONFIRM_IMPORT, "Import"),
        Move(I.QUEUED, I.CHECKED, Perm.RETRY_IMPORT, "Try again"),
        Move(I.QUEUED, I.APPLIED, None, "Imported"),
        Move(I.QUEUED, I.FAILED, None, "Failed"),
    ),
)
