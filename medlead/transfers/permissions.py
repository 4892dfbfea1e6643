"""Who may do what in an information transfer between responsible officers (issue 34)."""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm


# issue 34 (transfers): no rule yet, nobody may (the helper building it gives each its rule here).
@policy.described("nobody yet")
def _nobody_yet_transfers(actor: object, obj: object) -> bool:
    return False


policy.register(
    {
        Perm.REQUEST_INFORMATION_TRANSFER: _nobody_yet_transfers,
        Perm.COMPLETE_INFORMATION_TRANSFER: _nobody_yet_transfers,
        Perm.READ_INFORMATION_TRANSFER: _nobody_yet_transfers,
        Perm.VIEW_INFORMATION_TRANSFER: _nobody_yet_transfers,
    }
)
