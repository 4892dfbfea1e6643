"""Who may nominate colleagues, see talent reviews and run succession and the pipeline (nhsconfed-2009: senior
leaders spot talent); a review's notes are its reviewers' and the medical director's only."""

from __future__ import annotations

from typing import Any

from medlead.core import policy
from medlead.core.policy import Perm, any_of, described, person_id, role
from medlead.core.roles import Role as R


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


# issue 34 (talent pool): no rule yet, nobody may (the helper building it gives each its rule here).
@policy.described("nobody yet")
def _nobody_yet_talent_pool(actor: object, obj: object) -> bool:
    return False


policy.register({Perm.JOIN_TALENT_POOL: _nobody_yet_talent_pool, Perm.SEARCH_TALENT_POOL: _nobody_yet_talent_pool})
