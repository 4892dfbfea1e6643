from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from medlead.core import notify
from medlead.core.admin import AuditedAdmin
from medlead.jobplans import models
from medlead.jobplans.tasks import recompute_trust_plans


@admin.register(models.JobPlanPolicy)
class JobPlanPolicyAdmin(AuditedAdmin):
    """A trust's premium time, SPA threshold and working weeks (defaults in data/job_planning.yaml)."""

    list_display = ("trust", "premium_before", "premium_after", "weekends_premium", "spa_threshold", "working_weeks")

    def save_model(self, request: HttpRequest, obj: Any, form: Any, change: bool) -> None:
        super().save_model(request, obj, form, change)
        notify.after_commit(recompute_trust_plans, obj.trust_id)


@admin.register(models.JobPlan)
class JobPlanAdmin(AuditedAdmin):
    list_display = ("person", "year", "state", "pas_total", "trust")
    list_filter = ("state", "year", "trust")
    raw_id_fields = ("person",)
    # The workflow moves only through the policy (jobplans.workflows.JOB_PLAN): never by editing the state here.
    readonly_fields = (
        "state",
        "cd_signed_by",
        "cd_signed_at",
        "md_signed_by",
        "md_signed_at",
        "pas_dcc",
        "pas_spa",
        "pas_anr",
        "pas_ext",
        "pas_management",
        "pas_total",
        "version",
    )
