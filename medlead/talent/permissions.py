"""Who may nominate colleagues, see talent reviews and run succession and the pipeline (nhsconfed-2009: senior
leaders spot talent); a review's notes are its reviewers' and the medical director's only."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, described, person_id, role
from medlead.core.roles import Role as R
from medlead.organisation.models import StaffKind
from medlead.organisation.permissions import OWN


@described("one of its reviewers")
def _is_reviewer(actor: Any, review: Any) -> bool:
    # reviewers.all() uses a prefetch when the caller made one (lists), else one query
    pid = person_id(actor)
    reviewers = getattr(review, "reviewers", None)
    return pid is not None and reviewers is not None and any(p.pk == pid for p in reviewers.all())


policy.register(
    {
        Perm.NOMINATE_TALENT: role(
            R.CLINICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER, R.CHAIR_CEO
        ),
        Perm.MANAGE_TALENT: role(R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR),
        # Talent-review notes: the review's reviewers and the medical director only.
        Perm.VIEW_TALENT_REVIEW: any_of(_is_reviewer, role(R.MEDICAL_DIRECTOR)),
    }
)


# issue 34: the regional talent pool. A doctor joins and leaves it themselves; the region's medical director and each
# trust's medical director in the region search it (a trust's medical director through their own trust's pages, for
# its region's pool).
@described("a doctor of a trust in a region (a pool is a region's)")
def _doctor_in_a_region(actor: Any, person: Any) -> bool:
    trust = getattr(person, "trust", None)
    return getattr(person, "kind", None) == StaffKind.DOCTOR and getattr(trust, "region_id", None) is not None


policy.register(
    {
        Perm.JOIN_TALENT_POOL: all_of(OWN, _doctor_in_a_region),
        Perm.SEARCH_TALENT_POOL: role(R.MEDICAL_DIRECTOR, R.REGIONAL_MEDICAL_DIRECTOR),
    }
)
