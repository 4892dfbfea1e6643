"""The 360 feedback cycle's workflow."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow
from medlead.leadership.models import CycleStatus

C = CycleStatus
FEEDBACK_CYCLE = Workflow(
    name="360",
    state_field="status",
    states=C,
    editable_in=frozenset({C.OPEN}),
    edit_perm=Perm.MANAGE_CYCLE,
    moves=(Move(C.OPEN, C.CLOSED, Perm.CLOSE_CYCLE, "Close and see the report"),),
)
