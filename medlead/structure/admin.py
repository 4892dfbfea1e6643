from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.structure import models


@admin.register(models.PostType)
class PostTypeAdmin(AuditedAdmin):
    list_display = ("name", "code", "level", "data_version")


@admin.register(models.Post)
class PostAdmin(AuditedAdmin):
    list_display = ("title", "code", "post_type", "pas_allocated", "trust")
    search_fields = ("title", "code")
    list_filter = ("post_type", "trust")
    raw_id_fields = ("reports_to", "division", "specialty")


@admin.register(models.Holding)
class HoldingAdmin(AuditedAdmin):
    list_display = ("post", "person", "start", "end", "interim")
    raw_id_fields = ("post", "person")


@admin.register(models.PortfolioFunction)
class PortfolioFunctionAdmin(AuditedAdmin):
    list_display = ("name", "area", "kind")
