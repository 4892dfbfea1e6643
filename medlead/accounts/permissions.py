"""Who may change what an account reaches (its person, roles and privileges): a national system administrator
(accounts are not a trust's records), for accounts other than their own. Nobody grants access to themselves,
superusers included (issue 29)."""

from __future__ import annotations

from typing import Any

from medlead.accounts.models import User
from medlead.core import policy
from medlead.core.policy import Perm, described, role_scopes
from medlead.core.roles import Role


@described("never on their own account")
def _someone_elses_account(actor: Any, account: Any) -> bool:
    return isinstance(account, User) and account.pk is not None and account.pk != actor.pk


@described("a system administrator whose role is national (not for a trust or a region)")
def _national_system_administrator(actor: Any, account: Any) -> bool:
    return any(
        role == Role.SYSTEM_ADMIN and trust is None and region is None for role, trust, region in role_scopes(actor)
    )


policy.register({Perm.CHANGE_ACCESS: policy.all_of(_national_system_administrator, _someone_elses_account)})
