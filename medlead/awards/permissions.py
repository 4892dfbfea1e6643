"""National Clinical Impact Awards, the employer's part (issue 17): consultants apply for themselves; the employer
(the medical director and medical staffing) sees, verifies and records the outcome of submitted applications,
never their own."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, described, not_, rel, role, state_is
from medlead.core.roles import Role as R
from medlead.organisation.models import Grade
from medlead.organisation.permissions import OWN

AWARD_EMPLOYER = (R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
CONSULTANT = rel("person_id", "its consultant")


@described("a consultant")
def _is_consultant(actor: Any, person: Any) -> bool:
    return getattr(person, "grade", None) == Grade.CONSULTANT


policy.register(
    {
        Perm.VIEW_AWARDS: role(*AWARD_EMPLOYER),
        Perm.VIEW_AWARDS_SUMMARY: role(R.MEDICAL_DIRECTOR),
        Perm.PREPARE_AWARD: all_of(OWN, _is_consultant),
        Perm.EDIT_AWARD: all_of(CONSULTANT, state_is("draft")),
        Perm.VIEW_AWARD: any_of(CONSULTANT, all_of(role(*AWARD_EMPLOYER), not_(state_is("draft")))),
        Perm.VERIFY_AWARD: all_of(role(*AWARD_EMPLOYER), not_(CONSULTANT), state_is("submitted")),
        Perm.RECORD_AWARD_OUTCOME: all_of(role(*AWARD_EMPLOYER), not_(CONSULTANT), state_is("verified")),
    }
)
