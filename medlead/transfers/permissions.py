"""Who may do what in an information transfer between responsible officers (issue 34, ADR 0034).

- The trust's responsible officer asks a doctor's previous designated body for it (``REQUEST``, over their trust),
  and may withdraw the request while it waits.
- The previous designated body's responsible officer (a responsible officer of the trust asked) completes it until it
  is sent, or says the doctor was not connected to them; once it is sent they see only that it was sent, and when.
- Once sent, only the asking trust's responsible officer reads it: not the doctor, not either trust's medical
  director, not a regional role, not a system administrator. Everyone but the two responsible officers and the doctor
  is answered as if it did not exist.
- The doctor sees that it exists, who asked, when, and when it was sent: never its content.
- Nobody acts on a transfer about themselves.
"""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, rel, role, state_is
from medlead.core.roles import Role as R

# The responsible officer of the trust the record belongs to: the trust that asked, the doctor's new designated body.
NEW_RO = policy.described("the responsible officer of the trust that asked")(role(R.RESPONSIBLE_OFFICER))
DOCTOR = rel("doctor_id", "its doctor")


@policy.described("the responsible officer of the trust asked (the doctor's previous designated body)")
def _previous_ro(actor: Any, obj: Any) -> bool:
    previous = getattr(obj, "previous_trust", None)
    return previous is not None and str(R.RESPONSIBLE_OFFICER) in policy.roles_for(actor, previous)


@policy.described("never on a transfer about themselves")
def _not_about_self(actor: Any, obj: Any) -> bool:
    pid = policy.person_id(actor)
    return pid is None or pid not in (getattr(obj, "doctor_id", None), getattr(obj, "previous_person_id", None))


policy.register(
    {
        Perm.REQUEST_INFORMATION_TRANSFER: role(R.RESPONSIBLE_OFFICER),
        Perm.WITHDRAW_INFORMATION_TRANSFER: all_of(NEW_RO, _not_about_self, state_is("requested")),
        Perm.COMPLETE_INFORMATION_TRANSFER: all_of(_previous_ro, _not_about_self, state_is("requested")),
        Perm.READ_INFORMATION_TRANSFER: all_of(NEW_RO, _not_about_self, state_is("sent")),
        Perm.VIEW_INFORMATION_TRANSFER: any_of(NEW_RO, _previous_ro, DOCTOR),
    }
)
