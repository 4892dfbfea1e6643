"""What the case page shows: the case's parts, each action's form (blank, or the one just posted with its errors)
and what the reader may do, answered by the policy here so that the template asks nothing."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.urls import reverse

from medlead.concerns import selectors, services
from medlead.concerns.forms import (
    AdviceForm,
    CloseForm,
    DecisionForm,
    EvidenceForm,
    HandOverForm,
    HealthAccessForm,
    InvestigationForm,
    InvestigationUpdateForm,
    MeasureForm,
    RoleForm,
)
from medlead.concerns.models import Case
from medlead.core.page_actions import errors_of
from medlead.core.policy import Perm, can
from medlead.organisation.models import Trust

# Each action on the case page: its form, and how the form is made for a case (some choose among the trust's
# people, some among the case's own records).
ACTION_FORMS: dict[str, Any] = {
    "role": lambda data, files, trust, case: RoleForm(data, files, trust=trust),
    "advice": lambda data, files, trust, case: AdviceForm(data, files),
    "measure": lambda data, files, trust, case: MeasureForm(
        data, files, formal=not services.formal_exclusion_missing(case)
    ),
    "health": lambda data, files, trust, case: HealthAccessForm(data, files, case=case),
    "decide": lambda data, files, trust, case: DecisionForm(data, files),
    "investigation": lambda data, files, trust, case: InvestigationForm(data, files),
    "investigation_update": lambda data, files, trust, case: InvestigationUpdateForm(
        data, files, outcome=not services.outcome_missing(case)
    ),
    "evidence": lambda data, files, trust, case: EvidenceForm(data, files),
    "hand_over": lambda data, files, trust, case: HandOverForm(data, files, people=services.hand_over_candidates(case)),
    "close": lambda data, files, trust, case: CloseForm(data, files),
}

# Forms whose fields sit behind buttons (an id and a choice): their errors go to the top of the page.
HIDDEN = ("health", "close")


def action_form(name: str, *, trust: Trust, case: Case, data: Any = None, files: Any = None) -> forms.Form:
    """The form for one action on ``case``: bound to what was posted, or blank for the page."""
    form: forms.Form = ACTION_FORMS[name](data, files, trust, case)
    return form


def case_page(
    *, actor: Any, trust: Trust, case: Case, today: dt.date, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The case page's context. ``posted`` is the action just posted and its form, shown with its errors."""
    may_manage = can(actor, Perm.MANAGE_CASE, case)
    forms_: dict[str, forms.Form] = {}
    if may_manage:
        forms_ = {name: action_form(name, trust=trust, case=case) for name in ACTION_FORMS}
    investigation = getattr(case, "investigation", None)
    errors: list[str] = []
    if posted is not None:
        name, form = posted
        forms_[name] = form
        # the page offers to start an investigation, or to update the one started: never both
        shown = name not in HIDDEN and name != ("investigation" if investigation else "investigation_update")
        if name == "hand_over" and services.hand_over_missing(case):
            shown = False  # not offered: its errors go to the top of the page
        if not shown:
            errors = errors_of(form)
    health = selectors.sees_health(actor=actor, case=case)
    close_items = close_tasks(trust, case) if may_manage else []
    appointed_on = selectors.investigator_appointed_on(case) if investigation is not None else None
    timetable = (
        selectors.timetable(
            trust=trust, appointed_on=appointed_on, report_to_doctor_on=investigation.report_to_doctor_on
        )
        if investigation is not None and appointed_on is not None
        else None
    )
    return {
        "current_trust": trust,
        "section": "concerns",
        "c": case,
        "roles": case.roles.select_related("person", "delegated_by"),
        "advice": case.advice.all(),
        "evidence": case.evidence.all() if health else case.evidence.filter(health=False),
        "sees_health": health,
        "investigation": investigation,
        "timetable": timetable,
        "measures": list(case.measures.all()),
        "today": today,
        "may_manage": may_manage,
        "may_view_audit": can(actor, Perm.VIEW_CASE_AUDIT, case),
        "forms": forms_,
        "errors": errors,
        "about": [selectors.names("categories").get(code, code) for code in case.categories],
        "sources": selectors.names("sources"),
        "decisions": selectors.names("decisions"),
        "formal_missing": services.formal_exclusion_missing(case) if may_manage else "",
        "outcome_missing": services.outcome_missing(case) if may_manage and investigation is not None else "",
        "hand_over_missing": services.hand_over_missing(case) if may_manage else "",
        "close_items": close_items,
        "closable": all(done for _, _, done in close_items),
        "review_outcomes": REVIEW_OUTCOMES,
    }


# How a review's outcome reads on the case page.
REVIEW_OUTCOMES = {"renewed": "Continued", "changed": "Changed", "lifted": "Lifted"}


def close_tasks(trust: Trust, case: Case) -> list[tuple[str, str | None, bool]]:
    """What closing the case needs (``services.close_missing``) as the task list's items, each a link to where it
    is done on the case page or to the review of the measure."""
    base = reverse("concerns:case", kwargs={"trust_code": trust.code, "pk": case.pk})
    items: list[tuple[str, str | None, bool]] = []
    for text, part, measure, done in services.close_missing(case):
        if done:
            href = None
        elif measure is not None:
            href = reverse(
                "concerns:measure_review", kwargs={"trust_code": trust.code, "pk": case.pk, "measure_pk": measure.pk}
            )
        else:
            href = f"{base}#{part}"
        items.append((text, href, done))
    return items
