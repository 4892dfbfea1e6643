"""Background work for job planning."""

from __future__ import annotations

from celery import shared_task

from medlead.jobplans.models import JobPlan
from medlead.jobplans.services import recompute


@shared_task
def recompute_trust_plans(trust_id: int) -> int:
    """After a trust changes its job-planning policy (e.g. premium time), its plans' stored PAs follow."""

    plans = JobPlan.objects.filter(trust_id=trust_id).select_related("trust")
    for plan in plans:
        recompute(plan)
    return plans.count()
