"""Each action on a case, one view and one form each, posted from the case page. Only the case manager acts; to
anyone else named on the case, or not named at all, an action is not found (404), like the case itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from medlead.concerns import presenters, services
from medlead.concerns.models import Case
from medlead.concerns.views.cases import find_case, render_case
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can
from medlead.organisation.selectors import trust_for


def _act(
    request: HttpRequest,
    trust_code: str,
    pk: int,
    name: str,
    save: Callable[[Case, dict[str, Any]], Any],
    *,
    saved: str = "Saved.",
    done: Callable[[Any], HttpResponse] | None = None,
) -> HttpResponse:
    """Bind the action's form to the post; save through the service and go back to the case, or show the case
    page again with the form's errors."""
    trust = trust_for(request.user, trust_code)
    case = find_case(request, trust, pk)
    if not can(request.user, Perm.MANAGE_CASE, case):
        raise Http404  # the case is seen, but acting on it is not: still no hint of what may be done
    form = presenters.action_form(name, trust=trust, case=case, data=request.POST, files=request.FILES)
    return act(
        request,
        form,
        save=lambda data: save(case, data),
        done=done or (lambda _: redirect("concerns:case", trust_code=trust.code, pk=case.pk)),
        page=lambda bound: render_case(request, trust, case, (name, bound)),
        saved=saved,
    )


@require_POST
def role_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "role",
        lambda case, d: services.role_appoint(actor=request.user, case=case, today=today(), **d),
    )


@require_POST
def advice_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "advice",
        lambda case, d: services.advice_add(actor=request.user, case=case, today=today(), **d),
    )


@require_POST
def health_access(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "health",
        lambda case, d: services.health_access_set(actor=request.user, role=d["role"], allowed=d["allowed"]),
    )


@require_POST
def investigation_start(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "investigation",
        lambda case, d: services.investigation_start(actor=request.user, case=case, today=today(), **d),
    )


@require_POST
def evidence_add(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request, trust_code, pk, "evidence", lambda case, d: services.evidence_add(actor=request.user, case=case, **d)
    )
