"""What the access pages read: a trust's accounts, an account's roles in reach, and requests for access."""

from __future__ import annotations

from typing import Any

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404

from medlead.accounts.models import AccessRequest, RoleAssignment, User
from medlead.core.policy import Perm, can, role_scopes
from medlead.core.roles import Role
from medlead.organisation.models import Trust

PAGE = 50


def _of_trust(trust: Trust, actor: Any) -> Q:
    """A trust's accounts: a role for the trust or its region, a person of the trust, or nothing anywhere yet (an
    account a first single sign-on made, waiting for its first role); for a national system administrator, also
    the accounts holding national roles."""
    of = Q(role_assignments__trust=trust) | Q(person__trust=trust)
    if trust.region_id is not None:
        of |= Q(role_assignments__region_id=trust.region_id)
    if any(r == Role.SYSTEM_ADMIN and t is None and g is None for r, t, g in role_scopes(actor)):
        of |= Q(role_assignments__trust__isnull=True, role_assignments__region__isnull=True)
    return of | Q(role_assignments__isnull=True, person__isnull=True)


def roles_here(trust: Trust) -> Prefetch[Any]:
    """Each account's roles that count in this trust (the trust's own, its region's, national): one query."""
    here = Q(trust=trust) | Q(trust__isnull=True, region__isnull=True)
    if trust.region_id is not None:
        here |= Q(region_id=trust.region_id)
    return Prefetch(
        "role_assignments",
        queryset=RoleAssignment.objects.filter(here).select_related("trust", "region").order_by("role"),
        to_attr="roles_here",
    )


def accounts(*, actor: Any, trust: Trust, search: str = "") -> QuerySet[User]:
    ids = User.objects.filter(_of_trust(trust, actor)).values("pk")
    qs = User.objects.filter(pk__in=ids)
    for word in search.split()[:5]:
        qs = qs.filter(
            Q(username__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(email__icontains=word)
            | Q(person__first_name__icontains=word)
            | Q(person__last_name__icontains=word)
            | Q(person__gmc_number=word)
        )
    return qs.select_related("person").prefetch_related(roles_here(trust)).order_by("username")


def account(*, actor: Any, trust: Trust, pk: int) -> User:
    """One of the trust's accounts, else 404 (another trust's account is not this trust's to know of)."""
    found = accounts(actor=actor, trust=trust).filter(pk=pk).select_related("person__trust").first()
    if found is None:
        raise Http404("No such account here.")
    return found


def requests(*, actor: Any, trust: Trust) -> list[AccessRequest]:
    """Every request for access of this trust, and those of the country and regions the actor may see, waiting
    first (for a page that has already asked ``Perm.VIEW_ACCESS_REQUESTS`` of the trust)."""
    qs = (
        AccessRequest.objects.filter(Q(trust=trust) | Q(trust__isnull=True))
        .select_related("account", "requested_by", "decided_by", "person", "role_trust", "role_region", "trust")
        .order_by("-requested_at", "-pk")[:500]
    )
    seen = [r for r in qs if r.trust_id == trust.pk or can(actor, Perm.VIEW_ACCESS_REQUEST, r)]
    return sorted(seen, key=lambda r: r.status != AccessRequest.Status.PENDING)


def pending_for(*, actor: Any, trust: Trust) -> list[AccessRequest]:
    """The requests waiting for this actor's decision (never their own, never for their own account)."""
    qs = AccessRequest.objects.filter(
        Q(trust=trust) | Q(trust__isnull=True), status=AccessRequest.Status.PENDING
    ).select_related("account", "person", "role_trust", "role_region", "trust")[:200]
    return [r for r in qs if can(actor, Perm.DECIDE_ACCESS_REQUEST, r)]


def request(*, actor: Any, trust: Trust, pk: int) -> AccessRequest:
    """One request the actor may see, else 404."""
    found = (
        AccessRequest.objects.filter(Q(trust=trust) | Q(trust__isnull=True), pk=pk)
        .select_related("account", "requested_by", "decided_by", "person", "role_trust", "role_region", "trust")
        .first()
    )
    if found is None or not (can(actor, Perm.VIEW_ACCESS_REQUEST, found) or _sees_trust_requests(actor, found, trust)):
        raise Http404("No such request here.")
    return found


def _sees_trust_requests(actor: Any, req: AccessRequest, trust: Trust) -> bool:
    return req.trust_id == trust.pk and can(actor, Perm.VIEW_ACCESS_REQUESTS, trust)
