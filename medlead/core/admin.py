"""Admin writes are audited like every other write."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medlead.audit import services as auditor


class AuditedAdmin(admin.ModelAdmin):
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
