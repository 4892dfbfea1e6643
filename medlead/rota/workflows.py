"""The exception report's workflow: the outcome agreed."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow
from medlead.rota.models import ReportStatus

E = ReportStatus
EXCEPTION_REPORT = Workflow(
    name="exception report",
    state_field="status",
    states=E,
    moves=(Move(E.SUBMITTED, E.AGREED, Perm.AGREE_EXCEPTION_OUTCOME, "Agree the outcome"),),
)
