from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from medlead.accounts.models import RoleAssignment, User
from medlead.core.admin import AuditedAdmin
from medlead.core.policy import Perm, can

# What an account reaches: the person it is linked to, its single sign-on subject and Django's privileges (the
# admin's own "Permissions" fields, but for whether the account is active). Shown read-only, with its roles, to
# whoever the policy does not let change this account's access (Perm.CHANGE_ACCESS: never one's own account).
_PRIVILEGES = next(opts["fields"] for name, opts in UserAdmin.fieldsets if str(name) == "Permissions")  # type: ignore[union-attr]
ACCESS_FIELDS = ("person", "sso_subject", *(f for f in _PRIVILEGES if f != "is_active"))


def _may_change_access(request: HttpRequest, account: Any) -> bool:
    """A new account has no access yet; an existing one's access is the policy's to allow."""
    return account is None or can(request.user, Perm.CHANGE_ACCESS, account)


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("trust",)

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_change_access(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_change_access(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _may_change_access(request, obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class MedleadUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleInline]
    raw_id_fields = ("person",)
    fieldsets = (*UserAdmin.fieldsets, ("medlead", {"fields": ("person", "sso_subject", "is_demo")}))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly if _may_change_access(request, obj) else readonly + ACCESS_FIELDS

    def get_actions(self, request: HttpRequest) -> Any:
        """No deleting accounts in bulk: an account is deactivated, one at a time, and its history kept."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
