"""Who may see the structure's health and change posts, holders and the portfolio, and agree secondments across
trusts; and the fact the policy reads from this app's tables: the posts a person holds today (for clinical
directors' and associates' areas)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q, QuerySet

from medlead.core import policy
from medlead.core.policy import Perm, PersonFact, all_of, any_of, described, role, roles_for, state_is
from medlead.core.roles import Role as R
from medlead.structure.models import Holding


def _posts_held(pid: int, today: dt.date) -> QuerySet[Holding]:
    """The posts the person holds today, in any trust: (post type code, trust, specialty id, division id)."""
    return Holding.objects.filter(Q(end__isnull=True) | Q(end__gte=today), person_id=pid, start__lte=today)


policy.register_facts(
    posts_held=PersonFact(
        rows=_posts_held,
        text="post__post_type__code",
        trust="trust_id",
        first="post__specialty_id",
        second="post__division_id",
    )
)

# Who changes a trust's structure: its posts and holders, and the secondments into and out of it.
STRUCTURE_MANAGERS = (R.MEDICAL_DIRECTOR, R.ASSOCIATE_MEDICAL_DIRECTOR, R.MEDICAL_STAFFING, R.SYSTEM_ADMIN)


@described("the home trust's medical director, associates, medical staffing or system administrators")
def _home_structure_manager(actor: Any, secondment: Any) -> bool:
    """The structure managers of the secondee's home trust (a secondment is the host's record: ``trust``)."""
    home = getattr(secondment, "home_trust", None)
    return home is not None and bool(roles_for(actor, home) & {str(r) for r in STRUCTURE_MANAGERS})


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
        Perm.MANAGE_STRUCTURE: role(*STRUCTURE_MANAGERS),
        # A secondment (issue 34): proposed by the host's structure managers (MANAGE_STRUCTURE over the host), agreed
        # or declined by the home trust's; seen by both sides' managers only.
        Perm.VIEW_SECONDMENT: any_of(role(*STRUCTURE_MANAGERS), _home_structure_manager),
        Perm.AGREE_SECONDMENT: all_of(_home_structure_manager, state_is("proposed")),
    }
)
