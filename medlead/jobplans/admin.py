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


# Job plans are not in the admin: a plan is a workflow record with its doctor's and signers' agreement, changed only
# through medlead's pages under the policy (issue 29: the admin edited signed-off plans of every trust).
