"""The information transfer's lifecycle: asked for, then sent or declined by the previous responsible officer, or
withdrawn by the responsible officer who asked. Its answers are edited (a draft saved) only while it waits."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow
from medlead.transfers.models import Status as S

INFORMATION_TRANSFER = Workflow(
    name="information transfer",
    state_field="status",
    states=S,
    editable_in=frozenset({S.REQUESTED}),
    edit_perm=Perm.COMPLETE_INFORMATION_TRANSFER,
    moves=(
        Move(S.REQUESTED, S.SENT, Perm.COMPLETE_INFORMATION_TRANSFER, "Send it"),
        Move(S.REQUESTED, S.NOT_CONNECTED, Perm.COMPLETE_INFORMATION_TRANSFER, "The doctor was not connected to us"),
        Move(S.REQUESTED, S.WITHDRAWN, Perm.WITHDRAW_INFORMATION_TRANSFER, "Withdraw the request", forward=False),
    ),
)
