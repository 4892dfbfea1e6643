"""Pages for MHPS cases. A case is found only among those the reader is named on: everyone else gets 404, so a
case's existence does not leak. Every read is audited."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.concerns import selectors, services
from medlead.concerns.forms import (
    AdviceForm,
    CaseForm,
    DecisionForm,
    EvidenceForm,
    HandOverForm,
    InvestigationForm,
    InvestigationUpdateForm,
    MeasureForm,
    RoleForm,
)
from medlead.concerns.models import Case, Measure
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


def _case(request: HttpRequest, trust: Any, pk: int) -> Case:
    case = selectors.cases_for(actor=request.user, trust=trust).filter(pk=pk).first()
    if case is None:
        raise Http404  # not "forbidden": whether a case exists is itself confidential
    return case


ACTIONS: dict[str, Any] = {
    "role": (RoleForm, True),
    "advice": (AdviceForm, False),
    "measure": (MeasureForm, False),
    "decide": (DecisionForm, False),
    "investigation": (InvestigationForm, False),
    "investigation_update": (InvestigationUpdateForm, False),
    "evidence": (EvidenceForm, False),
    "hand_over": (HandOverForm, True),
}


def case(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    c = _case(request, trust, pk)
    read(request.user, Perm.VIEW_CASE, c, why="case read")
    manage = can(request.user, Perm.MANAGE_CASE, c)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {}
    for name, (cls, needs_trust) in ACTIONS.items():
        data = request.POST if action == name else None
        files = request.FILES if action == name else None
        forms[name] = cls(data, files, trust=trust) if needs_trust else cls(data, files)
    errors: list[str] = []
    if action and not manage:
        raise Http404
    if action:
        try:
            if action in forms and forms[action].is_valid():
                data = forms[action].cleaned_data
                if action == "role":
                    services.role_appoint(actor=request.user, case=c, today=today(), **data)
                elif action == "advice":
                    services.advice_add(actor=request.user, case=c, today=today(), **data)
                elif action == "measure":
                    services.measure_add(actor=request.user, case=c, **data)
                elif action == "investigation":
                    services.investigation_start(actor=request.user, case=c, today=today(), **data)
                elif action == "investigation_update":
                    services.investigation_update(actor=request.user, case=c, data=data, today=today())
                elif action == "hand_over":
                    services.case_manager_hand_over(actor=request.user, case=c, person=data["person"], today=today())
                    messages.success(request, "The case is handed over; the new case manager has been told.")
                    return redirect("concerns:cases", trust_code=trust.code)
                elif action == "evidence":
                    services.evidence_add(actor=request.user, case=c, **data)
                elif action == "decide":
                    services.decide(
                        actor=request.user,
                        case=c,
                        decision=data["decision"],
                        reasons=data["decision_reasons"],
                        decided_on=data["decided_on"],
                        today=today(),
                    )
                messages.success(request, "Saved.")
                return redirect("concerns:case", trust_code=trust.code, pk=c.pk)
            if action == "review":
                measure = c.measures.filter(pk=request.POST.get("measure", "0")).first()
                if measure is None:
                    raise Http404
                services.measure_review(
                    actor=request.user,
                    measure=measure,
                    reviewed_on=today(),
                    outcome=request.POST.get("outcome", ""),
                    today=today(),
                )
                messages.success(request, "Review recorded.")
                return redirect("concerns:case", trust_code=trust.code, pk=c.pk)
            if action == "health":
                role = c.roles.filter(pk=request.POST.get("role", "0")).first()
                if role is None:
                    raise Http404
                services.health_access_set(actor=request.user, role=role, allowed=request.POST.get("allowed") == "yes")
                messages.success(request, "Saved.")
                return redirect("concerns:case", trust_code=trust.code, pk=c.pk)
            if action == "close":
                services.close(actor=request.user, case=c, closed_on=today(), today=today())
                messages.success(request, "The case is closed.")
                return redirect("concerns:case", trust_code=trust.code, pk=c.pk)
        except ValidationError as exc:
            if action in forms:
                forms[action].add_error(None, exc)
            else:
                errors = exc.messages
    measures: list[Measure] = list(c.measures.all())
    health = selectors.sees_health(actor=request.user, case=c)
    evidence = c.evidence.all() if health else c.evidence.filter(health=False)
    return render(
        request,
        "concerns/case.jinja",
        {
            "current_trust": trust,
            "section": "concerns",
            "c": c,
            "roles": c.roles.select_related("person", "delegated_by"),
            "advice": c.advice.all(),
            "evidence": evidence,
            "sees_health": health,
            "investigation": getattr(c, "investigation", None),
            "measures": measures,
            "today": today(),
            "manage": manage,
            "forms": forms,
            "errors": errors,
            "about": [selectors.names("categories").get(code, code) for code in c.categories],
            "sources": selectors.names("sources"),
            "decisions": selectors.names("decisions"),
        },
    )


def evidence_file(request: HttpRequest, trust_code: str, pk: int, evidence_pk: int) -> FileResponse:
    """A file in a case's evidence log, for the people named on the case (health files for those named for them);
    every download is audited."""
    trust = trust_for(request.user, trust_code)
    c = _case(request, trust, pk)
    item = c.evidence.exclude(file="").filter(pk=evidence_pk).first()
    if item is None or (item.health and not selectors.sees_health(actor=request.user, case=c)):
        raise Http404
    read(request.user, Perm.VIEW_CASE, c, why="case evidence file downloaded")
    name = (item.file.name or "evidence").rsplit("/", 1)[-1]
    return FileResponse(item.file.open("rb"), as_attachment=True, filename=name)


def case_audit(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The case's audit trail: who read or changed what, when (never the content), for its case manager and
    designated auditor."""
    trust = trust_for(request.user, trust_code)
    c = _case(request, trust, pk)
    if not can(request.user, Perm.VIEW_CASE_AUDIT, c):
        raise Http404
    read(request.user, Perm.VIEW_CASE_AUDIT, c, why="case audit trail read")
    return render(
        request,
        "concerns/audit.jinja",
        {"current_trust": trust, "section": "concerns", "c": c, "events": selectors.case_audit(c)},
    )
