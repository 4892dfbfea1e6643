"""Who may confirm an import batch, or try again one whose worker stopped."""

from __future__ import annotations

from typing import Any

from medlead.core import heartbeat, policy
from medlead.core.imports import KINDS
from medlead.core.policy import Perm, all_of, can, described, state_is


@described("whoever may run this kind of import (each kind names its permission)")
def _may_run_import(actor: Any, batch: Any) -> bool:
    """Whoever may run this kind of import (people: medical staffing; a rota: the rota's managers; ...)."""
    kind = KINDS.get(getattr(batch, "kind", ""))
    return kind is not None and can(actor, kind.perm, batch)


@described("once its worker has stopped (silent for a minute and a half, or never started)")
def _import_stopped(actor: Any, batch: Any) -> bool:
    """Queued, and its worker has stopped (``core.heartbeat``): silent for a minute and a half, or never started."""
    return heartbeat.stopped(batch, queued_at=batch.updated_at)


policy.register(
    {
        Perm.CONFIRM_IMPORT: all_of(_may_run_import, state_is("checked")),
        # A queued batch whose worker stopped (no heartbeat for MEDLEAD_WORKER_SILENT_SECONDS, or never started in
        # MEDLEAD_QUEUED_STUCK_MINUTES) can be put back to "checked" and confirmed again; the task's row lock makes
        # a late first run and the retry safe together.
        Perm.RETRY_IMPORT: all_of(_may_run_import, state_is("queued"), _import_stopped),
    }
)
