"""What the appraisal page shows, built once for its GET and for each of its actions' error pages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from medlead.core.policy import Perm, can
from medlead.development.selectors import current_plan
from medlead.revalidation import selectors, services
from medlead.revalidation.forms import InputsForm, OutputsForm, StatusForm, SupportingInfoForm
from medlead.revalidation.hooks import FEEDBACK_REPORT_LINKS
from medlead.revalidation.models import Appraisal
from medlead.revalidation.workflows import APPRAISAL

# The appraisal page's forms, each posted to its own action.
FORMS = ("inputs", "outputs", "si", "status")


@dataclass
class AppraisalPage:
    appraisal: Appraisal
    content: bool  # the inputs and supporting information: the doctor's and the appraiser's only
    forms: dict[str, forms.Form | None]  # each form this user may send, or None
    pdp: Any  # the doctor's own development plan, to bring to appraisal as their PDP (issue 4)

    def context(self) -> dict[str, Any]:
        obj = self.appraisal
        names = selectors.si_names()
        supporting = list(obj.supporting_info.all()) if self.content else []
        return {
            "current_trust": obj.trust,
            "section": "appraisal",
            "a": obj,
            "content": self.content,
            "inputs": self.forms["inputs"],
            "outputs": self.forms["outputs"],
            "si_form": self.forms["si"],
            "status_form": self.forms["status"],
            "si_names": names,
            "pdp": self.pdp,
            "supporting": supporting,
            # a feedback report's item links to the report (issue 33), for those who read the appraisal's content
            "feedback_links": FEEDBACK_REPORT_LINKS([si.pk for si in supporting]) if supporting else {},
            "si_counts": {k: obj.supporting_info.filter(kind=k).count() for k in names},
        }


def appraisal_page(actor: Any, obj: Appraisal, *, bound: str = "", data: QueryDict | None = None) -> AppraisalPage:
    """The page for ``actor``; the form named ``bound`` (one of ``FORMS``) bound to ``data``, the others empty."""

    def given(which: str) -> QueryDict | None:
        return data if which == bound else None

    editable = APPRAISAL.editable(obj)
    may_inputs = editable and can(actor, Perm.EDIT_APPRAISAL_INPUTS, obj)
    may_outputs = editable and can(actor, Perm.EDIT_APPRAISAL_OUTPUTS, obj)
    statuses = services.status_choices(actor=actor, appraisal=obj)
    initial_inputs = {f: getattr(obj, f) for f in services.INPUT_FIELDS}
    initial_outputs = {f: getattr(obj, f) for f in services.OUTPUT_FIELDS}
    page_forms: dict[str, forms.Form | None] = {
        "inputs": InputsForm(given("inputs"), initial=initial_inputs, person_id=obj.person_id) if may_inputs else None,
        "outputs": OutputsForm(given("outputs"), initial=initial_outputs) if may_outputs else None,
        "si": SupportingInfoForm(given("si")) if may_inputs else None,
        "status": StatusForm(given("status"), initial={"meeting_date": obj.meeting_date}, choices=statuses)
        if statuses
        else None,
    }
    return AppraisalPage(
        appraisal=obj,
        content=can(actor, Perm.VIEW_APPRAISAL_CONTENT, obj),
        forms=page_forms,
        pdp=current_plan(obj.person) if may_inputs else None,
    )
