"""Who sees a region's trusts side by side (issue 34): the regional medical director of that region, or one who holds
the role for the whole country. Aggregates only: the role opens no trust's confidential record (no case under MHPS,
no fit and proper record, no appraisal), and its holder sees another region's page as one that does not exist."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm
from medlead.core.roles import Role as R
from medlead.organisation.models import Region


@policy.described("the regional medical director of the region (or of the whole country)")
def regional_medical_director(actor: Any, region: Any) -> bool:
    """The actor holds the regional medical director's role for this region, or nationally. ``region`` is a region
    (a trust or a record has no region of its own here: the role is asked of the region's page)."""
    if not isinstance(region, Region) or region.pk is None:
        return False
    return any(
        role == R.REGIONAL_MEDICAL_DIRECTOR and trust_id is None and scope in (None, region.pk)
        for role, trust_id, scope in policy.role_scopes(actor)
    )


policy.register({Perm.VIEW_REGION: regional_medical_director})
