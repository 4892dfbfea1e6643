from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.governance.models import ExternalBody, Metric


@admin.register(Metric)
class MetricAdmin(AuditedAdmin):
    list_display = ("name", "code", "trust", "section", "origin", "active")
    list_filter = ("origin", "section")
    search_fields = ("name", "code")
    readonly_fields = ("origin",)


@admin.register(ExternalBody)
class ExternalBodyAdmin(AuditedAdmin):
    list_display = ("name", "kind", "trust")
    search_fields = ("name",)
