"""The trust's feedback administrators (issue 33): people the responsible officer or medical staffing name to run
doctors' feedback exercises, besides the appraisers. Nobody names themselves."""

from __future__ import annotations

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.page_actions import act, errors_of
from medlead.core.policy import Perm
from medlead.feedback import release as service
from medlead.feedback.models import FeedbackAdministrator
from medlead.feedback.report_forms import AdministratorAddForm, AdministratorRemoveForm
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for


def _page(
    request: HttpRequest, trust: Trust, form: forms.Form | None = None, errors: list[str] | None = None
) -> HttpResponse:
    return render(
        request,
        "feedback/status_administrators.jinja",
        {
            "current_trust": trust,
            "section": "revalidation",
            "administrators": FeedbackAdministrator.objects.filter(trust=trust, active=True)
            .select_related("person")
            .order_by("person__last_name", "pk"),
            "form": form or AdministratorAddForm(trust=trust),
            "errors": errors or [],
        },
    )


def _back(trust: Trust) -> HttpResponse:
    return redirect(reverse("feedback:administrators", kwargs={"trust_code": trust.code}))


@require_safe
def administrators(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    return _page(request, trust)


@require_POST
def administrator_add(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    return act(
        request,
        AdministratorAddForm(request.POST, trust=trust),
        save=lambda d: service.administrator_add(actor=request.user, trust=trust, person=d["person"]),
        done=lambda _: _back(trust),
        page=lambda form: _page(request, trust, form),
        saved=lambda a: f"{a.person.display_name} is now a feedback administrator.",
    )


@require_POST
def administrator_remove(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    return act(
        request,
        AdministratorRemoveForm(request.POST, trust=trust),
        save=lambda d: service.administrator_remove(actor=request.user, administrator=d["administrator"]),
        done=lambda _: _back(trust),
        page=lambda f: _page(request, trust, errors=errors_of(f) or ["Choose an administrator from the list."]),
        saved=lambda a: f"{a.person.display_name} is no longer a feedback administrator.",
    )
