"""Who may confirm an import batch, or try a stuck one again."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.conf import settings

from medlead.core import dates, policy
from medlead.core.imports import KINDS
from medlead.core.policy import Perm, all_of, can, described, state_is


@described("whoever may run this kind of import (each kind names its permission)")
def _may_run_import(actor: Any, batch: Any) -> bool:
    """Whoever may run this kind of import (people: medical staffing; a rota: the rota's managers; ...)."""
    kind = KINDS.get(getattr(batch, "kind", ""))
    return kind is not None and can(actor, kind.perm, batch)


@described("once it has waited longer than MEDLEAD_IMPORT_STUCK_MINUTES")
def _import_stuck(actor: Any, batch: Any) -> bool:
    waited = dates.now() - batch.updated_at
    return bool(waited > dt.timedelta(minutes=settings.MEDLEAD_IMPORT_STUCK_MINUTES))


policy.register(
    {
        Perm.CONFIRM_IMPORT: all_of(_may_run_import, state_is("checked")),
        # A batch queued for longer than MEDLEAD_IMPORT_STUCK_MINUTES (its worker lost, the queue down) can be put
        # back to "checked" and confirmed again; the task's row lock makes a late first run and the retry safe
        # together.
        Perm.RETRY_IMPORT: all_of(_may_run_import, state_is("queued"), _import_stuck),
    }
)
