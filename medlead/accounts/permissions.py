"""Who may change what an account reaches (its roles, person link, single sign-on identifier and whether it is
active), and who decides a request for a sensitive grant (issue 29).

- A **system administrator** changes access within the scope their own role covers: a trust's own administrator for
  that trust, a region's for its trusts, a national one everywhere; a region-wide or national role only by an
  administrator covering that region or the country. A change to the whole account (single sign-on, deactivation,
  reactivation) needs an administrator covering every scope the account holds.
- **Nobody changes their own access**, superusers included: no role, person link or sign-on identifier to oneself.
- A **sensitive grant** (``SENSITIVE_ROLES``, every person link, a way into an account that holds either, a board
  seat that opens fit and proper records) waits for a second approver covering the same scope: another system
  administrator or, for a trust, its Caldicott guardian; never the person who asked, never the account's holder or
  the person seated.
- The trust's **Caldicott guardian** sees every sensitive grant of the trust, waiting or decided.
"""

from __future__ import annotations

from typing import Any

from medlead.accounts.models import AccessRequest, AccessTarget, User
from medlead.core import policy
from medlead.core.policy import Perm, all_of, any_of, described, not_, person_id, role, role_scopes, state_is
from medlead.core.roles import Role
from medlead.organisation.models import Person

# (trust id, that trust's region id, region id): one scope, a trust's or a region's; (None, None, None) the country.
Scope = tuple[int | None, int | None, int | None]


def _scope(trust: Any, region: Any) -> Scope:
    if trust is not None:
        return trust.pk, trust.region_id, None
    if region is not None:
        return None, None, region.pk
    return None, None, None


def _covers(actor: Any, held_role: Role, scope: Scope) -> bool:
    """The actor holds ``held_role`` over all of ``scope``: nationally; for the scope's region; or for its trust."""
    trust_id, trust_region, region_id = scope
    for name, t, r in role_scopes(actor):
        if name != held_role:
            continue
        if t is None and r is None:
            return True
        if trust_id is not None and (t == trust_id or (r is not None and r == trust_region)):
            return True
        if trust_id is None and region_id is not None and r == region_id:
            return True
    return False


def account_scopes(account: User) -> list[Scope]:
    """The scopes an account reaches into: each role's, and its person's trust (two queries)."""
    scopes: list[Scope] = list(account.role_assignments.values_list("trust_id", "trust__region_id", "region_id"))
    if account.person_id is not None:
        scopes += [
            (t, r, None)
            for t, r in Person.objects.filter(pk=account.person_id).values_list("trust_id", "trust__region_id")
        ]
    return scopes


def _within_trust(account: User, trust_id: int | None, trust_region: int | None) -> bool:
    """The account is one of this trust's: a role for it or its region, its person, or nothing anywhere yet."""
    scopes = account_scopes(account)
    return not scopes or any(t == trust_id or (r is not None and r == trust_region) for t, _, r in scopes)


@described("never on their own account")
def _someone_elses(actor: Any, target: Any) -> bool:
    return (
        isinstance(target, AccessTarget)
        and target.account.pk is not None
        and getattr(actor, "pk", None) is not None
        and target.account.pk != actor.pk
    )


@described("a system administrator whose role covers the change (the trust's, its region's or the country's)")
def _administers(actor: Any, target: Any) -> bool:
    if not isinstance(target, AccessTarget):
        return False
    account = target.account
    if target.whole_account:
        scopes = account_scopes(account)
        return all(_covers(actor, Role.SYSTEM_ADMIN, s) for s in scopes) if scopes else _is_admin_anywhere(actor)
    scope = _scope(target.trust, target.region)
    if not _covers(actor, Role.SYSTEM_ADMIN, scope):
        return False
    if target.trust is not None:
        return _within_trust(account, scope[0], scope[1])
    return True


def _is_admin_anywhere(actor: Any) -> bool:
    return any(name == Role.SYSTEM_ADMIN for name, _, _ in role_scopes(actor))


# ------------------------------------------------------------------------------------------- requests


def request_scope(req: AccessRequest) -> Scope:
    """A role's own scope for a role grant; the request's trust for anything else (none: the country)."""
    if req.kind == AccessRequest.Kind.ROLE:
        return _scope(req.role_trust, req.role_region)
    return _scope(req.trust, None)


@described("another system administrator covering the request or, for a trust, its Caldicott guardian")
def _approver(actor: Any, req: Any) -> bool:
    """Another system administrator covering the request's scope or, for a trust, the trust's Caldicott guardian."""
    if not isinstance(req, AccessRequest):
        return False
    scope = request_scope(req)
    if _covers(actor, Role.SYSTEM_ADMIN, scope):
        return True
    return scope[0] is not None and _covers(actor, Role.CALDICOTT_GUARDIAN, scope)


@described("the person who asked")
def _requester(actor: Any, req: Any) -> bool:
    return isinstance(req, AccessRequest) and req.requested_by_id == getattr(actor, "pk", None)


@described("the account's holder or the person it is about (a board seat's member)")
def _for_themselves(actor: Any, req: Any) -> bool:
    if not isinstance(req, AccessRequest):
        return False
    own_account = req.account_id is not None and req.account_id == getattr(actor, "pk", None)
    own_person = req.person_id is not None and req.person_id == person_id(actor)
    return own_account or own_person


policy.register(
    {
        Perm.MANAGE_ACCESS: role(Role.SYSTEM_ADMIN),
        Perm.CHANGE_ACCESS: all_of(_someone_elses, _administers),
        Perm.VIEW_ACCESS_REQUESTS: role(Role.SYSTEM_ADMIN, Role.CALDICOTT_GUARDIAN),
        Perm.VIEW_ACCESS_REQUEST: any_of(_approver, _requester),
        Perm.DECIDE_ACCESS_REQUEST: all_of(
            state_is(AccessRequest.Status.PENDING), _approver, not_(_requester), not_(_for_themselves)
        ),
        Perm.WITHDRAW_ACCESS_REQUEST: all_of(state_is(AccessRequest.Status.PENDING), _requester),
    }
)
