"""Who may confirm or change a national value for their trust: the medical director and the medical workforce lead
(medical staffing). Everyone who sees the trust may read the values in force."""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm, any_of, role
from medlead.core.roles import EVERY_ROLE
from medlead.core.roles import Role as R

policy.register(
    {
        Perm.VIEW_VALUES: role(*EVERY_ROLE),
        Perm.CONFIRM_VALUES: any_of(role(R.MEDICAL_DIRECTOR), role(R.MEDICAL_STAFFING)),
    }
)
