"""Who may see the structure's health and change posts, holders and the portfolio; and the fact the policy reads
from this app's tables: the posts a person holds today (for clinical directors' and associates' areas)."""

from __future__ import annotations

from django.db.models import Q

from medlead.core import policy
from medlead.core.dates import today as local_today
from medlead.core.policy import Perm, role
from medlead.core.roles import Role as R
from medlead.structure.models import Holding


def _posts_held(pid: int, trust_id: int) -> list[tuple[str, int | None, int | None]]:
    """(post type code, specialty id, division id) of each post the person holds in this trust today."""
    today = local_today()
    return list(
        Holding.objects.filter(
            Q(end__isnull=True) | Q(end__gte=today), person_id=pid, trust_id=trust_id, start__lte=today
        ).values_list("post__post_type__code", "post__specialty_id", "post__division_id")
    )


policy.register_facts(posts_held=_posts_held)

policy.register(
    {
        Perm.VIEW_STRUCTURE_HEALTH: role(
            R.MEDICAL_DIRECTOR,
            R.ASSOCIATE_MEDICAL_DIRECTOR,
            R.RESPONSIBLE_OFFICER,
            R.MEDICAL_STAFFING,
            R.CHAIR_CEO,
            R.NON_EXECUTIVE,
            R.SYSTEM_ADMIN,
        ),
        Perm.MANAGE_STRUCTURE: role(
            R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN
        ),
    }
)
