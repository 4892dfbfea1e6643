from django.contrib import admin

from medlead.core.admin import AuditedAdmin
from medlead.rota import models


@admin.register(models.Rota)
class RotaAdmin(AuditedAdmin):
    list_display = ("name", "rule_set", "trust", "checked_at")
    list_filter = ("trust",)


# Exception reports are confidential (the doctor, their supervisor and the guardian): they stay out of the admin.
