from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest

from medlead.accounts.models import RoleAssignment, User
from medlead.core.admin import AuditedAdmin

# What would let an account reach records the policy does not name it for: nobody changes these on their own
# account (issue 29: a superuser set its own person to an MHPS case investigator and read the case).
SELF_GRANTING_FIELDS = ("person", "sso_subject", "is_superuser", "is_staff", "groups", "user_permissions")


def _own(request: HttpRequest, obj: Any) -> bool:
    return obj is not None and obj.pk is not None and obj.pk == request.user.pk


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("trust",)

    # Roles are granted to others: on one's own account the roles are shown, never added, changed or removed.
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_add_permission(request, obj)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _own(request, obj) and super().has_delete_permission(request, obj)


@admin.register(User)
class MedleadUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleInline]
    raw_id_fields = ("person",)
    fieldsets = (*UserAdmin.fieldsets, ("medlead", {"fields": ("person", "sso_subject", "is_demo")}))  # type: ignore[misc]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        readonly = tuple(super().get_readonly_fields(request, obj))
        return readonly + SELF_GRANTING_FIELDS if _own(request, obj) else readonly

    def get_actions(self, request: HttpRequest) -> Any:
        """No deleting accounts in bulk: an account is deactivated, one at a time, and its history kept."""
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)
        return actions
