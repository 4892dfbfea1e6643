"""Who may see, change, agree, sign and appeal job plans (consultant contract 2003, schedule 3; NHS Employers'
job-planning guidance); and which plans wait for whose signature, as query filters from the same rules."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, area_for, not_, person_id, role, roles_for
from medlead.core.roles import Role as R
from medlead.jobplans.models import State
from medlead.organisation.permissions import OWN

JOB_PLAN_READERS = (R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
JOB_PLAN_MANAGERS = (R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.MEDICAL_STAFFING)
# Who signs a plan in each state it waits for a signature in: a clinical director signs an agreed plan; the
# medical director, or an associate in their area, signs off a plan the clinical director has signed. The two
# signing rules below and ``signing_filters`` are both built from this.
SIGNERS: dict[State, tuple[R, ...]] = {
    State.AGREED: (R.CLINICAL_DIRECTOR,),
    State.SIGNED_CD: (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
}

_job_plan_manager = all_of(role(*JOB_PLAN_MANAGERS, area=True), not_(OWN))


def signing_filters(actor: Any, trust: Any) -> dict[State, Q]:
    """The same rules as ``Perm.SIGN_JOB_PLAN_CD`` and ``Perm.SIGN_JOB_PLAN_MD``, as query filters: for each state
    in which a plan waits for ``actor``'s signature, the plans they may sign (in their area, never their own). A
    state ``actor`` signs in no plan of is left out."""
    held = roles_for(actor, trust)
    pid = person_id(actor)
    out: dict[State, Q] = {}
    for state, roles in SIGNERS.items():
        if not held & {str(r) for r in roles}:
            continue
        allowed = Q(state=state)
        if pid is not None:
            allowed &= ~Q(person_id=pid)
        area = area_for(actor, trust, roles)
        if area is not None:
            allowed &= Q(person__specialty_id__in=area)
        out[state] = allowed
    return out


policy.register(
    {
        Perm.VIEW_JOB_PLANS: role(*JOB_PLAN_READERS),
        Perm.MANAGE_JOB_PLANS: role(*JOB_PLAN_MANAGERS),
        Perm.VIEW_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_READERS, area=True)),
        Perm.EDIT_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_MANAGERS, area=True)),
        Perm.AGREE_JOB_PLAN: OWN,
        Perm.REFER_JOB_PLAN: any_of(OWN, role(*JOB_PLAN_MANAGERS, area=True)),
        Perm.RESUME_JOB_PLAN: _job_plan_manager,
        Perm.APPEAL_JOB_PLAN: OWN,
        # Never one's own plan; a clinical director only in their specialties, an associate in their area.
        Perm.SIGN_JOB_PLAN_CD: all_of(role(*SIGNERS[State.AGREED], area=True), not_(OWN)),
        Perm.SIGN_JOB_PLAN_MD: all_of(role(*SIGNERS[State.SIGNED_CD], area=True), not_(OWN)),
        Perm.DECIDE_JOB_PLAN_APPEAL: all_of(role(R.MEDICAL_DIRECTOR), not_(OWN)),
    }
)
