"""Who may ask for, see and decide leave (issue 32). A doctor asks for and sees their own leave only; a rota's
coordinator (medical staffing for the trust, and whoever ``Perm.MANAGE_ROTAS`` names for the rota) sees and decides
the requests on their rotas, never their own. Everyone else is answered as if the request did not exist (404)."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, can, described, not_, rel, role, state_is
from medlead.core.roles import Role as R
from medlead.organisation.models import TRAINEE_GRADES
from medlead.organisation.permissions import OWN

DOCTOR = rel("person_id", "its doctor")


@described("a resident doctor (a doctor in training)")
def _in_training(actor: Any, person: Any) -> bool:
    return getattr(person, "grade", None) in TRAINEE_GRADES


@described("whoever may change the request's rota (its rota coordinator)")
def _coordinator(actor: Any, request: Any) -> bool:
    rota = getattr(request, "rota", None)
    return rota is not None and can(actor, Perm.MANAGE_ROTAS, rota)


COORDINATOR = any_of(role(R.MEDICAL_STAFFING), _coordinator)

policy.register(
    {
        # the trust's leave pages for coordinators: the requests waiting, and the doctors' service records
        Perm.MANAGE_LEAVE: role(R.MEDICAL_STAFFING),
        # the object is the doctor: resident doctors ask for their own leave
        Perm.REQUEST_LEAVE: all_of(OWN, _in_training),
        Perm.VIEW_LEAVE: any_of(DOCTOR, COORDINATOR),
        Perm.DECIDE_LEAVE: all_of(COORDINATOR, not_(DOCTOR, "never their own"), state_is("waiting", "cancel_asked")),
        Perm.WITHDRAW_LEAVE: all_of(DOCTOR, state_is("waiting")),
        Perm.CANCEL_LEAVE: all_of(DOCTOR, state_is("approved")),
    }
)
