"""What a job plan's page shows, and what this user may do on it, built once for its GET and for the details
form's error page."""

from __future__ import annotations

from typing import Any

from medlead.core.policy import Perm, can
from medlead.jobplans import selectors, services
from medlead.jobplans.forms import CommentForm, PlanForm
from medlead.jobplans.models import JobPlan, State
from medlead.jobplans.workflows import JOB_PLAN


def may_edit(actor: Any, plan: JobPlan) -> bool:
    return JOB_PLAN.can_edit(actor, plan)


def may_copy(actor: Any, plan: JobPlan) -> bool:
    """Next year's plan starts as a copy of this one, once: not when the doctor already has one for that year."""
    return (
        can(actor, Perm.EDIT_JOB_PLAN, plan)
        and not JobPlan.objects.filter(person_id=plan.person_id, year=plan.year + 1).exists()
    )


def plan_page(actor: Any, plan: JobPlan, *, form: PlanForm | None = None) -> dict[str, Any]:
    """The page's context; ``form`` is the details form as posted, with its errors, else an empty one."""
    editable = may_edit(actor, plan)
    if form is None and editable:
        form = PlanForm(instance=plan, initial={"version": plan.version})
    view = selectors.plan_view(plan=plan)
    moves = services.allowed_moves(actor, plan)
    # a signature is checked and confirmed on its own pages, and not offered while the plan cannot be signed
    signature = next((label for to, label, _ in moves if to in (State.SIGNED_CD, State.SIGNED)), None)
    return {
        "current_trust": plan.trust,
        "section": "jobplans",
        "plan": plan,
        "v": view,
        "form": form if editable else None,
        "can_edit": editable,
        "moves": [m for m in moves if m[0] not in (State.SIGNED_CD, State.SIGNED)],
        "signature": signature,
        "missing": selectors.missing_for_signature(plan=plan, view=view) if signature else [],
        "comments": plan.comments.select_related("author"),
        "comment_form": CommentForm(),
        "can_copy": may_copy(actor, plan),
    }
