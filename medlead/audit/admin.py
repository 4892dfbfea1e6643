from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medlead.core.audit import AuditEvent


@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    """Browse the audit trail; nobody can add, change or delete an event."""

    list_display = ("at", "actor_username", "action", "model", "object_repr", "trust_id")
    list_filter = ("action", "model")
    search_fields = ("actor_username", "object_repr", "object_pk", "note")
    date_hierarchy = "at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
