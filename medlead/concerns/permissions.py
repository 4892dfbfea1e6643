"""Who may record, see and manage concerns under MHPS (ADR 0010): recorded by the medical director or the
responsible officer; a case is seen only by the people named on it (case manager, investigators, the designated
board member, the HR lead), superusers and other roles included; its case manager manages it, and sees its health
information with those they name for it."""

from __future__ import annotations

from typing import Any

from django.db.models import Q

from medlead.concerns.models import CaseRole, RoleKind
from medlead.core import policy
from medlead.core.policy import Perm, PersonFact, Rule, all_of, described, person_id, role, state_is
from medlead.core.roles import Role as R


def _named_on_case(roles: tuple[RoleKind, ...] | None = None, *, health: bool = False) -> Rule:
    """The actor is named on the case (in one of ``roles``, or in any role); with ``health``, also as someone the
    case manager let see health information."""

    def rule(actor: Any, case: Any) -> bool:
        pid = person_id(actor)
        if pid is None or getattr(case, "pk", None) is None:
            return False
        qs = CaseRole.objects.filter(case_id=case.pk, person_id=pid)
        if roles and health:
            qs = qs.filter(Q(role__in=roles) | Q(health_access=True))
        elif roles:
            qs = qs.filter(role__in=roles)
        return qs.exists()

    named = " or ".join(str(RoleKind(r).label).split(" (")[0].lower() for r in roles) if roles else "anyone"
    words = f"named on the case as {named}" if roles else "the people named on the case"
    if health:
        words += ", or named by the case manager to see its health information"
    return described(words)(rule)


def cases_filter(actor: Any) -> Q:
    """The same rule as ``Perm.VIEW_CASE``, as a query filter for lists of cases."""
    pid = person_id(actor)
    return Q(roles__person_id=pid) if pid is not None else Q(pk__in=[])


# the trusts in which a person is named on a case (for the menu's "Concerns"; never which case)
policy.register_facts(
    case_trusts=PersonFact(rows=lambda pid, _: CaseRole.objects.filter(person_id=pid), trust="case__trust_id")
)

policy.register(
    {
        Perm.OPEN_CASE: role(R.MEDICAL_DIRECTOR, R.RESPONSIBLE_OFFICER),
        Perm.VIEW_CASE: _named_on_case(),
        Perm.MANAGE_CASE: all_of(_named_on_case((RoleKind.CASE_MANAGER,)), state_is("open")),
        Perm.VIEW_CASE_AUDIT: _named_on_case((RoleKind.CASE_MANAGER, RoleKind.AUDITOR)),
        # The case manager, and those they name for it, see a case's health information.
        Perm.VIEW_CASE_HEALTH: _named_on_case((RoleKind.CASE_MANAGER,), health=True),
    }
)
