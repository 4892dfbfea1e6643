"""Who sees a region's trusts side by side (issue 34)."""

from __future__ import annotations

from medlead.core import policy
from medlead.core.policy import Perm


# issue 34 (regions): no rule yet, nobody may (the helper building it gives each its rule here).
@policy.described("nobody yet")
def _nobody_yet_regions(actor: object, obj: object) -> bool:
    return False


policy.register({Perm.VIEW_REGION: _nobody_yet_regions})
