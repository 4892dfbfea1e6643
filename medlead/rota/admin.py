from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.rota import models


@admin.register(models.Rota)
class RotaAdmin(AuditedAdmin):
    list_display = ("name", "rule_set", "trust", "checked_at")
    list_filter = ("trust",)


@admin.register(models.ExceptionReport)
class ExceptionReportAdmin(AuditedAdmin):
    list_display = ("occurred_on", "doctor", "kind", "status", "outcome", "fine_category", "trust")
    list_filter = ("kind", "status", "trust")
    raw_id_fields = ("doctor", "supervisor", "rota")
