"""Who may see and keep board members' fit and proper person records (issue 17): the chair, the company secretary
and the member only; the chair signs each member's assessment off, the senior independent director the chair's.
The same two keep the board's register of members (``Perm.MANAGE_BOARD``), never changing their own seat; a seat
that opens fit and proper records (the chair, the senior independent director) waits for a second approver
(``accounts.services.board_seat_add``, docs/adr/0020)."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, board_seat, described, not_, person_id, role, state_is
from medlead.core.roles import Role as R
from medlead.organisation.models import BoardRole


@described("the chair of the board (a current board seat)")
def _is_chair(actor: Any, obj: Any) -> bool:
    return board_seat(actor, obj, role=BoardRole.CHAIR)


def _fppt_member(obj: Any) -> Any:
    """The board seat a fit and proper record is about (an assessment, a check or a leaver's reference)."""
    record = getattr(obj, "assessment", obj)
    return getattr(record, "member", None)


@described("the board member the record is about")
def _fppt_subject(actor: Any, obj: Any) -> bool:
    member = _fppt_member(obj)
    pid = person_id(actor)
    return member is not None and pid is not None and member.person_id == pid


@described("the chair of the board (for the chair's own assessment, the senior independent director)")
def _fppt_signer(actor: Any, assessment: Any) -> bool:
    """The chair signs each member's assessment off; the senior independent director signs off the chair's."""
    member = _fppt_member(assessment)
    if member is None:
        return False
    if member.role == BoardRole.CHAIR:
        return board_seat(actor, assessment, senior_independent=True)
    return _is_chair(actor, assessment)


@described("never on their own seat")
def _not_own_seat(actor: Any, obj: Any) -> bool:
    """The seat (or, for the whole board, the trust) is not the actor's own: a seat's person is not the actor's."""
    seated = getattr(obj, "person_id", None)
    return seated is None or seated != person_id(actor)


policy.register(
    {
        Perm.MANAGE_BOARD: all_of(any_of(role(R.COMPANY_SECRETARY), _is_chair), _not_own_seat),
        Perm.MANAGE_FPPT: any_of(role(R.COMPANY_SECRETARY), _is_chair),
        Perm.SUBMIT_FPPT_RETURN: _is_chair,
        Perm.VIEW_FPPT: any_of(role(R.COMPANY_SECRETARY), _is_chair, _fppt_subject),
        Perm.ATTEST_FPPT: all_of(_fppt_subject, state_is("pending")),
        Perm.SIGN_OFF_FPPT: all_of(_fppt_signer, not_(_fppt_subject), state_is("pending")),
    }
)
