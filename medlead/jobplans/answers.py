"""The questions jobplans answers for apps below it (``medlead.core.hooks``); found by name once the apps are loaded
(``core.apps``)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from medlead.jobplans import pa
from medlead.jobplans.models import Activity
from medlead.jobplans.selectors import current_year, plan_policy, to_activity
from medlead.organisation.models import Trust
from medlead.structure.hooks import TIME_IN_JOB_PLANS


@TIME_IN_JOB_PLANS.answer_with
def time_in_job_plans(trust: Trust, post_ids: list[int]) -> dict[int, dict[int, Decimal]]:
    """Post id -> person id -> the PAs a week this year's job plan of the person gives the post."""
    if not post_ids:
        return {}
    activities = Activity.objects.filter(
        trust=trust, post_id__in=post_ids, job_plan__year=current_year()
    ).select_related("job_plan__person", "job_plan__trust")
    by_plan: dict[int, list[Activity]] = defaultdict(list)
    for a in activities:
        by_plan[a.job_plan_id].append(a)
    found: dict[int, dict[int, Decimal]] = defaultdict(dict)
    for items in by_plan.values():
        plan = items[0].job_plan
        summary = pa.summarise([to_activity(a) for a in items], plan_policy(plan))
        for post_id, pas in summary.by_post.items():
            found[post_id][plan.person_id] = pas
    return dict(found)
