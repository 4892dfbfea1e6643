from typing import Any

from django.contrib import admin
from django.db import models as db_models
from django.http import HttpRequest

from medlead.core.admin import AuditedAdmin
from medlead.core.dates import today
from medlead.organisation import models
from medlead.organisation.receivers_sync import regions_in_step


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


# issue 34: who receives what, dated (reference data: the national rows come from data/receivers.yaml). Saving or
# deleting a row keeps each trust's region in step with the rows at once (``receivers_sync``), as the daily task does.
@admin.register(models.Receiver)
class ReceiverAdmin(AuditedAdmin):
    list_display = ("kind", "body", "belongs_to", "trust", "region", "applies_from", "verified")
    list_filter = ("kind", "verified")
    raw_id_fields = ("trust",)
    formfield_overrides = {db_models.URLField: {"assume_scheme": "https"}}
    fields = (
        "kind",
        "trust",
        "region",
        "body",
        "belongs_to",
        "applies_from",
        "source_title",
        "source_url",
        "verified",
    )

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        regions_in_step(actor=request.user, today=today())

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        super().delete_model(request, obj)
        regions_in_step(actor=request.user, today=today())

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        super().delete_queryset(request, queryset)
        regions_in_step(actor=request.user, today=today())
