"""The lifecycle of an import batch (``core.workflows.Workflow``): checked, confirmed by whoever may run that kind of
import, then applied (or failed, changing nothing) by a worker; a batch queued too long can be tried again."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow
from medlead.imports.models import ImportStatus

S = ImportStatus

IMPORT_BATCH = Workflow(
    name="import",
    state_field="status",
    states=S,
    moves=(
        Move(S.CHECKING, S.CHECKED, None, "Checked"),
        Move(S.CHECKING, S.INVALID, None, "Has errors"),
        Move(S.CHECKED, S.QUEUED, Perm.CONFIRM_IMPORT, "Import"),
        Move(S.QUEUED, S.CHECKED, Perm.RETRY_IMPORT, "Try again"),
        Move(S.QUEUED, S.APPLIED, None, "Imported"),
        Move(S.QUEUED, S.FAILED, None, "Failed"),
    ),
)
