"""Admin writes are audited like every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest

from medlead.core import audit as auditor


class AuditedAdmin(admin.ModelAdmin):
    # At national size: no count of the whole table on every changelist, and the related rows each list shows are
    # fetched with it, not one query a row.
    show_full_result_count = False

    def get_list_select_related(self, request: HttpRequest) -> Any:
        """Every foreign key the list shows, nullable ones included (``select_related()`` alone skips those)."""
        names = []
        for name in self.list_display:
            try:
                field = self.model._meta.get_field(name) if isinstance(name, str) else None
            except FieldDoesNotExist:  # a method or property, not a field
                field = None
            if field is not None and field.many_to_one:
                names.append(name)
        return names or False

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        if change:
            before = auditor.snapshot(type(obj).objects.get(pk=obj.pk))
            super().save_model(request, obj, form, change)
            auditor.audit_update(actor=request.user, obj=obj, before=before, note="admin")
        else:
            super().save_model(request, obj, form, change)
            auditor.audit_create(actor=request.user, obj=obj, note="admin")

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        """Inline rows (a user's role assignments) are audited too: a role granted or removed in the admin
        leaves its trace like any other."""
        instances = formset.save(commit=False)
        for obj in formset.deleted_objects:
            auditor.audit_delete(actor=request.user, obj=obj, note="admin")
            obj.delete()
        for obj in instances:
            if obj.pk:
                before = auditor.snapshot(type(obj).objects.get(pk=obj.pk))
                obj.save()
                auditor.audit_update(actor=request.user, obj=obj, before=before, note="admin")
            else:
                obj.save()
                auditor.audit_create(actor=request.user, obj=obj, note="admin")
        formset.save_m2m()

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        auditor.audit_delete(actor=request.user, obj=obj, note="admin")
        super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: Any) -> None:
        for obj in queryset:
            auditor.audit_delete(actor=request.user, obj=obj, note="admin")
        super().delete_queryset(request, queryset)
