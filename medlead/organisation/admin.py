from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.organisation import models


@admin.register(models.Region)
class RegionAdmin(AuditedAdmin):
    list_display = ("code", "name")


@admin.register(models.Trust)
class TrustAdmin(AuditedAdmin):
    list_display = ("code", "name", "kind", "region")
    search_fields = ("code", "name")


@admin.register(models.Division, models.Site)
class SimpleTrustAdmin(AuditedAdmin):
    list_display = ("name", "trust")
    list_filter = ("trust",)


@admin.register(models.Specialty)
class SpecialtyAdmin(AuditedAdmin):
    list_display = ("name", "division", "trust")
    list_filter = ("trust",)


@admin.register(models.Person)
class PersonAdmin(AuditedAdmin):
    list_display = ("last_name", "first_name", "kind", "grade", "gmc_number", "trust")
    search_fields = ("last_name", "first_name", "gmc_number", "staff_number")
    list_filter = ("kind", "grade", "trust")
    raw_id_fields = ("specialty",)


@admin.register(models.BoardMember)
class BoardMemberAdmin(AuditedAdmin):
    list_display = ("role", "person", "trust")
    raw_id_fields = ("person",)


@admin.register(models.Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("name", "trust")
    raw_id_fields = ("chair", "members")
