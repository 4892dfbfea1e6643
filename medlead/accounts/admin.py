from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from medlead.accounts.models import RoleAssignment, User
from medlead.core.admin import AuditedAdmin


class RoleInline(admin.TabularInline):
    model = RoleAssignment
    extra = 0
    raw_id_fields = ("trust",)


@admin.register(User)
class MedleadUserAdmin(AuditedAdmin, UserAdmin):
    inlines = [RoleInline]
    raw_id_fields = ("person",)
    fieldsets = (*UserAdmin.fieldsets, ("medlead", {"fields": ("person", "sso_subject", "is_demo")}))  # type: ignore[misc]
