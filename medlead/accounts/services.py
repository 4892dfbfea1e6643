"""Granting and removing roles: audited wherever it happens (this service, the Django admin, the demo)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.accounts.models import Role, RoleAssignment, User
from medlead.core import audit as auditor
from medlead.core.actors import SystemActor


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


@transaction.atomic
def sso_link(*, actor: Any, user: User, subject: str) -> User:
    """Link an account to the identity provider's identifier for its holder (blank unlinks it). One identifier opens
    one account."""
    subject = subject.strip()
    if len(subject) > 255:
        raise ValidationError({"sso_subject": "A single sign-on identifier is at most 255 characters."})
    if subject and User.objects.filter(sso_subject=subject).exclude(pk=user.pk).exists():
        raise ValidationError({"sso_subject": "This single sign-on identifier is already linked to another account."})
    before = auditor.snapshot(user)
    user.sso_subject = subject or None
    user.save(update_fields=["sso_subject"])
    auditor.audit_update(actor=actor, obj=user, before=before, note="single sign-on link")
    return user


@transaction.atomic
def sso_account_create(*, subject: str, email: str = "", first_name: str = "", last_name: str = "") -> User:
    """An account made by a first sign-in (only when MEDLEAD_OIDC_CREATE_USERS is set): no roles, no password. It
    sees nothing until a role is granted in medlead."""
    username = f"sso-{subject}"[:150]
    user = User(username=username, sso_subject=subject, email=email[:254], first_name=first_name[:150])
    user.last_name = last_name[:150]
    user.set_unusable_password()
    user.save()
    auditor.audit_create(
        actor=SystemActor("first single sign-on"), obj=user, note="account created by a first single sign-on"
    )
    return user
