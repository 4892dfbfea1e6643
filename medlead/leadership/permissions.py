"""Who may see and run self-assessments and 360s: a 360's running counts are the subject's; its report is the
subject's and their facilitator's once closed. Managers never see an individual's 360."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, described, not_, person_id, rel, role, state_is
from medlead.core.roles import Role as R
from medlead.organisation.permissions import OWN
from medlead.structure.selectors import line_managers


@described("a line manager of its subject (a holder of a post over their specialty, up the reporting lines)")
def _line_manages_subject(actor: Any, cycle: Any) -> bool:
    pid = person_id(actor)
    return pid is not None and getattr(cycle, "subject", None) is not None and pid in line_managers(cycle.subject)


policy.register(
    {
        Perm.VIEW_LEADERSHIP_AGGREGATE: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
        Perm.MANAGE_FRAMEWORKS: role(R.MEDICAL_DIRECTOR, R.SYSTEM_ADMIN),
        Perm.VIEW_ASSESSMENT: OWN,
        Perm.MANAGE_CYCLE: rel("subject_id"),
        Perm.CLOSE_CYCLE: all_of(any_of(rel("subject_id"), rel("facilitator_id")), state_is("open")),
        Perm.VIEW_360_REPORT: all_of(any_of(rel("subject_id"), rel("facilitator_id")), state_is("closed")),
        # Nominations are approved before invitations go, by the facilitator or one of the subject's line managers
        # (the holders of the posts over the subject's specialty, up the reporting lines); never by the subject.
        Perm.APPROVE_RATERS: all_of(
            any_of(rel("facilitator_id"), _line_manages_subject), not_(rel("subject_id")), state_is("open")
        ),
    }
)
