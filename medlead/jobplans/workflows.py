"""The job plan's sign-off workflow: discussion, agreement, the clinical director's and the medical director's
signatures, and the mediation and appeal the 2003 contract provides."""

from __future__ import annotations

from medlead.core.policy import Perm
from medlead.core.workflows import Move, Workflow, moves_from
from medlead.jobplans.models import State as JobPlanState

J = JobPlanState
JOB_PLAN = Workflow(
    name="job plan",
    state_field="state",
    states=J,
    editable_in=frozenset({J.DRAFT, J.DISCUSSION}),
    edit_perm=Perm.EDIT_JOB_PLAN,
    moves=(
        Move(J.DRAFT, J.DISCUSSION, Perm.REFER_JOB_PLAN, "Start discussion"),
        Move(J.DISCUSSION, J.AGREED, Perm.AGREE_JOB_PLAN, "Agree this job plan"),
        Move(J.AGREED, J.SIGNED_CD, Perm.SIGN_JOB_PLAN_CD, "Sign as clinical director"),
        Move(J.SIGNED_CD, J.SIGNED, Perm.SIGN_JOB_PLAN_MD, "Sign off as medical director"),
        *moves_from((J.AGREED, J.SIGNED_CD), J.DISCUSSION, Perm.REFER_JOB_PLAN, "Reopen for discussion", False),
        *moves_from(
            (J.DISCUSSION, J.AGREED, J.SIGNED_CD), J.MEDIATION, Perm.REFER_JOB_PLAN, "Refer to mediation", False
        ),
        Move(J.MEDIATION, J.DISCUSSION, Perm.RESUME_JOB_PLAN, "Reopen for discussion", False),
        Move(J.MEDIATION, J.APPEAL, Perm.APPEAL_JOB_PLAN, "Appeal", False),
        Move(J.APPEAL, J.DISCUSSION, Perm.DECIDE_JOB_PLAN_APPEAL, "Reopen for discussion", False),
        Move(J.APPEAL, J.SIGNED, Perm.DECIDE_JOB_PLAN_APPEAL, "Sign off as medical director"),
    ),
)
