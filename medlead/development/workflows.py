"""The workflows of development plans, mentoring relationships and development openings."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow, moves_from
from medlead.development.models import MentorshipStatus, OpeningStatus, PlanStatus

P = PlanStatus
DEVELOPMENT_PLAN = Workflow(
    name="development plan",
    state_field="status",
    states=P,
    # Changing an agreed plan's goals or actions returns it to draft: it must be agreed again.
    editable_in=frozenset({P.DRAFT, P.AWAITING, P.AGREED}),
    edit_perm=Perm.EDIT_DEVELOPMENT_RECORD,
    moves=(
        *moves_from((P.DRAFT, P.AWAITING), P.AWAITING, Perm.EDIT_DEVELOPMENT_RECORD, "Ask for agreement"),
        *moves_from((P.AWAITING, P.AGREED), P.DRAFT, Perm.EDIT_DEVELOPMENT_RECORD, "Back to draft"),
        Move(P.AWAITING, P.AGREED, Perm.AGREE_PDP, "Agree this plan"),
        *moves_from((P.DRAFT, P.AWAITING, P.AGREED), P.CLOSED, Perm.EDIT_DEVELOPMENT_RECORD, "Close this plan"),
    ),
)

M = MentorshipStatus
MENTORSHIP = Workflow(
    name="mentoring relationship",
    state_field="status",
    states=M,
    editable_in=frozenset({M.ACTIVE}),
    edit_perm=Perm.VIEW_MENTORSHIP,
    moves=(
        Move(M.REQUESTED, M.ACTIVE, Perm.RESPOND_MENTORSHIP, "Accept"),
        Move(M.REQUESTED, M.DECLINED, Perm.RESPOND_MENTORSHIP, "Decline"),
        Move(M.ACTIVE, M.ENDED, Perm.VIEW_MENTORSHIP, "End the mentoring"),
    ),
)

O = OpeningStatus  # noqa: E741
OPENING = Workflow(
    name="opening",
    state_field="status",
    states=O,
    editable_in=frozenset({O.OPEN}),
    edit_perm=Perm.DECIDE_OPENING,
    moves=(
        Move(O.OPEN, O.DECIDED, Perm.DECIDE_OPENING, "Select"),
        Move(O.OPEN, O.WITHDRAWN, Perm.DECIDE_OPENING, "Withdraw"),
    ),
)
