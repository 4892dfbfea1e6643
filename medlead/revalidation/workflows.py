"""The appraisal's workflow, from preparing to sign-off (or recorded as missed)."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow, moves_from
from medlead.revalidation.models import AppraisalStatus

A = AppraisalStatus
_OPEN_APPRAISAL = (A.NOT_STARTED, A.PREPARING, A.BOOKED, A.COMPLETED)
APPRAISAL = Workflow(
    name="appraisal",
    state_field="status",
    states=A,
    editable_in=frozenset(s for s in A.values if s != A.SIGNED_OFF),
    moves=(
        Move(A.NOT_STARTED, A.PREPARING, Perm.EDIT_APPRAISAL_INPUTS, "Start preparing"),
        *moves_from((A.NOT_STARTED, A.PREPARING), A.BOOKED, Perm.ARRANGE_APPRAISAL, "Book the meeting"),
        Move(A.BOOKED, A.PREPARING, Perm.ARRANGE_APPRAISAL, "Cancel the booking"),
        *moves_from((A.NOT_STARTED, A.PREPARING, A.BOOKED), A.COMPLETED, Perm.EDIT_APPRAISAL_OUTPUTS, "Complete"),
        *moves_from((A.PREPARING, A.BOOKED, A.COMPLETED), A.SIGNED_OFF, Perm.SIGN_OFF_APPRAISAL, "Sign off"),
        *moves_from(_OPEN_APPRAISAL, A.MISSED, Perm.ARRANGE_APPRAISAL, "Record as missed or incomplete"),
        Move(A.MISSED, A.PREPARING, Perm.ARRANGE_APPRAISAL, "Reopen"),
        Move(A.MISSED, A.BOOKED, Perm.ARRANGE_APPRAISAL, "Book the meeting"),
    ),
)
