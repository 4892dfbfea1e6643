"""Granting and removing roles: audited wherever it happens (this service, the Django admin, the demo)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.audit import services as auditor


@transaction.atomic
def role_grant(*, actor: Any, user: User, role: str, trust: Any = None, region: Any = None) -> RoleAssignment:
    """Give ``user`` a role over one trust, one region, or (neither) the whole country."""
    if role not in Role.values:
        raise ValidationError({"role": f"'{role}' is not a role. Roles: {', '.join(Role.values)}."})
    if trust is not None and region is not None:
        raise ValidationError("A role is held over a trust, a region or the country: not a trust and a region.")
    existing = RoleAssignment.objects.filter(user=user, role=role, trust=trust, region=region).first()
    if existing is not None:
        return existing
    grant = RoleAssignment.objects.create(user=user, role=role, trust=trust, region=region)
    auditor.audit_create(actor=actor, obj=grant, note="role granted")
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, user: User, role: str, trust: Any = None, region: Any = None) -> int:
    removed = 0
    for grant in RoleAssignment.objects.filter(user=user, role=role, trust=trust, region=region):
        auditor.audit_delete(actor=actor, obj=grant, note="role removed")
        grant.delete()
        removed += 1
    return removed
