"""What the appraisal page shows, built once for its GET and for each of its actions' error pages."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import QueryDict

from medlead.core.policy import Perm, can
from medlead.development.selectors import current_plan
from medlead.revalidation import selectors, services
from medlead.revalidation.forms import (
    InputsForm,
    OutputsForm,
    StatusForm,
    SupportingInfoDomainForm,
    SupportingInfoForm,
)
from medlead.revalidation.hooks import FEEDBACK_REPORT_LINKS
from medlead.revalidation.models import Appraisal
from medlead.revalidation.workflows import APPRAISAL

# The appraisal page's forms, each posted to its own action.
FORMS = ("inputs", "outputs", "si", "status", "domain")


@dataclass
class AppraisalPage:
    appraisal: Appraisal
    content: bool  # the inputs and supporting information: the doctor's and the appraiser's only
    forms: dict[str, forms.Form | None]  # each form this user may send, or None
    pdp: Any  # the doctor's own development plan, to bring to appraisal as their PDP (issue 4)
    edition: selectors.Edition  # the edition of Good medical practice the appraisal is judged by (ADR 0028)

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
            "edition": self.edition,
            "domain_form": self.forms["domain"],
            "by_domain": domain_groups(self.edition, supporting),
            "reflections": [
                (name, (obj.domain_reflections or {}).get(code, "")) for code, name in self.edition.domains
            ],
            "summaries": [(name, (obj.domain_summaries or {}).get(code, "")) for code, name in self.edition.domains],
        }


def domain_groups(edition: selectors.Edition, items: list[Any]) -> list[tuple[str, str, list[Any]]]:
    """(code, name, items) for each of the edition's domains in order, and "Not filed under a domain" for any left;
    nothing when the appraisal is not organised by domain."""
    if not edition.by_domain:
        return []
    groups = [(code, name, [i for i in items if i.domain == code]) for code, name in edition.domains]
    rest = [i for i in items if not edition.domain_name(i.domain)]
    return groups + ([("", "Not filed under a domain", rest)] if rest else [])


def appraisal_page(actor: Any, obj: Appraisal, *, bound: str = "", data: QueryDict | None = None) -> AppraisalPage:
    """The page for ``actor``; the form named ``bound`` (one of ``FORMS``) bound to ``data``, the others empty."""

    def given(which: str) -> QueryDict | None:
        return data if which == bound else None

    editable = APPRAISAL.editable(obj)
    may_inputs = editable and can(actor, Perm.EDIT_APPRAISAL_INPUTS, obj)
    may_outputs = editable and can(actor, Perm.EDIT_APPRAISAL_OUTPUTS, obj)
    statuses = services.status_choices(actor=actor, appraisal=obj)
    edition = selectors.appraisal_edition(obj)
    domains = edition.domains
    initial_inputs = {f: getattr(obj, f) for f in services.INPUT_FIELDS}
    initial_outputs = {f: getattr(obj, f) for f in services.OUTPUT_FIELDS}
    page_forms: dict[str, forms.Form | None] = {
        "inputs": InputsForm(
            given("inputs"),
            initial=initial_inputs,
            person_id=obj.person_id,
            domains=domains,
            reflections=obj.domain_reflections,
        )
        if may_inputs
        else None,
        "outputs": OutputsForm(
            given("outputs"), initial=initial_outputs, domains=domains, summaries=obj.domain_summaries
        )
        if may_outputs
        else None,
        "si": SupportingInfoForm(given("si"), domains=domains) if may_inputs else None,
        "domain": SupportingInfoDomainForm(given("domain"), domains=domains) if may_inputs and domains else None,
        "status": StatusForm(given("status"), initial={"meeting_date": obj.meeting_date}, choices=statuses)
        if statuses
        else None,
    }
    return AppraisalPage(
        appraisal=obj,
        content=can(actor, Perm.VIEW_APPRAISAL_CONTENT, obj),
        forms=page_forms,
        pdp=current_plan(obj.person) if may_inputs else None,
        edition=edition,
    )


def outputs_document(obj: Appraisal) -> dict[str, Any]:
    """What the appraisal's PDF says: its outputs under the edition of Good medical practice it was held under, and
    the supporting information counted by type (and by domain, where organised by domain). No inputs."""
    edition = selectors.appraisal_edition(obj)
    names = selectors.si_names()
    pairs = Counter(obj.supporting_info.order_by().values_list("kind", "domain"))
    if edition.by_domain:
        counts = [
            (name, [(names.get(kind, kind), n) for (kind, domain), n in sorted(pairs.items()) if domain == code])
            for code, name in [*edition.domains, ("", "Not filed under a domain")]
        ]
        counts = [(name, rows) for name, rows in counts if rows or name != "Not filed under a domain"]
    else:
        by_kind: Counter[str] = Counter()
        for (kind, _), n in pairs.items():
            by_kind[kind] += n
        counts = [("", [(name, by_kind.get(code, 0)) for code, name in names.items()])]
    start, end = selectors.appraisal_period(obj.trust_id, obj.year)
    return {
        "a": obj,
        "edition": edition,
        "period": (start, end),
        "summaries": [(name, (obj.domain_summaries or {}).get(code, "")) for code, name in edition.domains],
        "counts": counts,
        "colleague_360": bool(obj.colleague_feedback_id),
    }
