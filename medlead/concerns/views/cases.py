"""Pages for MHPS cases. A case is found only among those the reader is named on: everyone else gets 404, so a
case's existence does not leak. Every read is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from medlead.concerns import presenters, selectors, services
from medlead.concerns.forms import CaseForm
from medlead.concerns.models import Case
from medlead.core import uploads
from medlead.core.audit import rows
from medlead.core.dates import today
from medlead.core.policy import Perm, can, read
from medlead.core.views import form_page
from medlead.organisation.selectors import trust_for


def cases(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    mine = list(selectors.cases_for(actor=request.user, trust=trust))
    return render(
        request,
        "concerns/cases.jinja",
        {
            "current_trust": trust,
            "section": "concerns",
            "cases": mine,
            "deadlines": selectors.deadlines(actor=request.user, trust=trust, today=today()),
            "reports": selectors.report_deadlines(actor=request.user, trust=trust),
            "today": today(),
            "can_open": can(request.user, Perm.OPEN_CASE, trust),
        },
    )


def case_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.OPEN_CASE)
    form = CaseForm(request.POST or None, trust=trust)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_open(actor=request.user, today=today(), **form.cleaned_data)
            messages.success(request, "The concern is recorded. The case manager has been told they have a task.")
            return redirect("concerns:case", trust_code=trust.code, pk=case.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request,
        trust=trust,
        section="concerns",
        form=form,
        title="Record a concern about a doctor's practice",
        button="Record the concern",
    )


def find_case(request: HttpRequest, trust: Any, pk: int) -> Case:
    """The case, among those the reader is named on."""
    case = selectors.cases_for(actor=request.user, trust=trust).filter(pk=pk).first()
    if case is None:
        raise Http404  # not "forbidden": whether a case exists is itself confidential
    return case


def render_case(request: HttpRequest, trust: Any, case: Case, posted: tuple[str, Any] | None = None) -> HttpResponse:
    """The case page, read (and the read audited) by the person asking; with the form just posted, if any."""
    read(request.user, Perm.VIEW_CASE, case, why="case read")
    context = presenters.case_page(actor=request.user, trust=trust, case=case, today=today(), posted=posted)
    return render(request, "concerns/case.jinja", context)


@require_safe  # the page is read; its actions post to views of their own
def case(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    return render_case(request, trust, find_case(request, trust, pk))


def evidence_file(request: HttpRequest, trust_code: str, pk: int, evidence_pk: int) -> HttpResponseBase:
    """A file in a case's evidence log, for the people named on the case (health files for those named for them);
    every download is audited."""
    trust = trust_for(request.user, trust_code)
    c = find_case(request, trust, pk)
    item = c.evidence.exclude(file="").filter(pk=evidence_pk).first()
    if item is None or (item.health and not selectors.sees_health(actor=request.user, case=c)):
        raise Http404
    read(request.user, Perm.VIEW_CASE, c, why="case evidence file downloaded")
    return uploads.serve(item.file)


def case_audit(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The case's audit trail: who read or changed what, when (never the content), for its case manager and
    designated auditor."""
    trust = trust_for(request.user, trust_code)
    c = find_case(request, trust, pk)
    if not can(request.user, Perm.VIEW_CASE_AUDIT, c):
        raise Http404
    read(request.user, Perm.VIEW_CASE_AUDIT, c, why="case audit trail read")
    return render(
        request,
        "concerns/audit.jinja",
        {
            "current_trust": trust,
            "section": "concerns",
            "c": c,
            "events": rows(selectors.case_audit(c), own_trail=True),
        },
    )
