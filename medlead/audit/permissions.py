"""Who may read the audit trail: the system administrator only (a trail of who read what is itself confidential)."""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm, role
from medlead.core.roles import Role as R

policy.register({Perm.VIEW_AUDIT: role(R.SYSTEM_ADMIN)})
