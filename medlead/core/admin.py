"""The Django admin covers reference data only (issue 29), and its writes are audited like every other write.

``REFERENCE_DATA`` is the allow-list: the models the admin may show, each with why it is reference data. A system
check (``manage.py check``, run by the tests) fails when any other model is registered, so an account, a role, a
person link, the audit trail or a confidential or workflow record cannot return to the admin unnoticed: those are
changed on medlead's own pages, under the policy."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.core import checks
from django.core.exceptions import FieldDoesNotExist
from django.http import HttpRequest

from medlead.core import audit as auditor

# model label -> why it is reference data (what a trust is made of, or the definitions its pages use).
REFERENCE_DATA: dict[str, str] = {
    "organisation.region": "the regions trusts belong to",
    "organisation.trust": "the trusts themselves",
    "organisation.division": "a trust's divisions",
    "organisation.site": "a trust's sites",
    "organisation.specialty": "a trust's specialties",
    "organisation.committee": "the board's committees (no page sets them yet; membership opens no record)",
    "organisation.receiver": "who receives a trust's returns and where a trust belongs, by date (data/receivers.yaml)",
    "structure.posttype": "the medical management post types (data/post_types.yaml)",
    "structure.portfoliofunction": "the medical director's portfolio functions (data/portfolio.yaml)",
    "governance.metric": "metrics' definitions (their values are imported on the board's pages)",
    "governance.externalbody": "the register of external bodies (their contacts and engagement are not here)",
    "jobplans.jobplanpolicy": "a trust's job-planning policy: premium time, SPA threshold, working weeks",
}


@checks.register(checks.Tags.admin)
def admin_holds_reference_data_only(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    return [
        checks.Error(
            f"{model._meta.label_lower} is registered in the Django admin, which holds reference data only.",
            hint="Change it on medlead's own pages under the policy, or add it to core.admin.REFERENCE_DATA with "
            "why it is reference data.",
            id="medlead.E029",
        )
        for model in admin.site._registry
        if model._meta.label_lower not in REFERENCE_DATA
    ]


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
        """Inline rows are audited too, like any other write."""
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
