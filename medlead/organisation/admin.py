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


@admin.register(models.Committee)
class CommitteeAdmin(AuditedAdmin):
    list_display = ("name", "trust")
    raw_id_fields = ("chair", "members")


# Board seats are not in the Django admin: a seat as chair or senior independent director opens fit and proper
# records, so the board is kept on its register (``/t/<trust>/fit-and-proper/board/``), under the policy, with a
# second approver for those seats (docs/adr/0020).
# People are not in the Django admin (issue 29): their personal and contract details are the policy's to show
# (``Perm.VIEW_PERSONAL_DETAILS``) and they change on the people pages (``Perm.MANAGE_PEOPLE``); an account's link
# to a person is made on the access pages, with a second approver.
