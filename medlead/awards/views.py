"""Pages for National Clinical Impact Award applications: a consultant's own, the employer's list and verification,
and the medical director's summary with equality in aggregate only."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from medlead.awards import selectors, services
from medlead.awards.forms import DomainsForm, OutcomeForm, StartForm, VerifyForm
from medlead.awards.models import Application
from medlead.core.dates import today
from medlead.core.policy import Perm, can, person_id, read
from medlead.core.views import form_flow
from medlead.organisation.selectors import trust_for

SECTION = "development"


def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    pid = person_id(request.user)
    mine = Application.objects.filter(trust=trust, person_id=pid or 0)  # none for an account without a person
    verifier = can(request.user, Perm.VIEW_AWARDS, trust)
    person = getattr(request.user, "person", None)
    may_apply = person is not None and person.trust_id == trust.pk and can(request.user, Perm.PREPARE_AWARD, person)
    if not (verifier or may_apply or mine.exists()):
        raise Http404
    return render(
        request,
        "awards/home.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "mine": mine,
            "may_apply": may_apply,
            "verifier": verifier,
            "can_summary": can(request.user, Perm.VIEW_AWARDS_SUMMARY, trust),
            "trust_apps": Application.objects.filter(trust=trust).exclude(status="draft").select_related("person")[:500]
            if verifier
            else [],
        },
    )


def start(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    if person is None or person.trust_id != trust.pk or not can(request.user, Perm.PREPARE_AWARD, person):
        raise Http404
    return form_flow(
        request,
        trust=trust,
        section=SECTION,
        form=StartForm(request.POST or None, initial={"round_year": today().year + 1, "level": "N1"}),
        title="Apply for a National Clinical Impact Award",
        save=lambda d: services.start(actor=request.user, person=person, **d),
        done=lambda app: redirect("awards:application", trust_code=trust.code, pk=app.pk),
    )


def application(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    app = Application.objects.filter(trust=trust, pk=pk).select_related("person", "verified_by").first()
    if app is None or not can(request.user, Perm.VIEW_AWARD, app):
        raise Http404
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms: dict[str, Any] = {
        "domains": DomainsForm(request.POST if action in ("domains", "submit") else None, initial=app.domains),
        "verify": VerifyForm(request.POST if action == "verify" else None),
        "outcome": OutcomeForm(request.POST if action == "outcome" else None),
    }
    if action:
        form = (
            forms["domains" if action == "submit" else action]
            if action in ("domains", "submit", "verify", "outcome")
            else None
        )
        if form is not None and form.is_valid():
            try:
                if action in ("domains", "submit"):
                    app = services.domains_save(actor=request.user, application=app, domains=form.cleaned_data)
                    if action == "submit":
                        services.submit(actor=request.user, application=app, today=today())
                elif action == "verify":
                    services.verify(
                        actor=request.user,
                        application=app,
                        checks=form.checks(),
                        investigations_note=form.cleaned_data["investigations_note"],
                        statement=form.cleaned_data["statement"],
                        today=today(),
                    )
                else:
                    services.outcome(actor=request.user, application=app, **form.cleaned_data)
                messages.success(
                    request, "Saved." if action != "submit" else "Submitted for the employer's verification."
                )
                return redirect("awards:application", trust_code=trust.code, pk=app.pk)
            except ValidationError as exc:
                form.add_error(None, exc)
    read(request.user, Perm.VIEW_AWARD, app, why="award application read")
    own = app.person_id == person_id(request.user)
    return render(
        request,
        "awards/application.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "app": app,
            "forms": forms,
            "domains": services.domain_names(),
            "verification": services.rules()["verification"],
            "evidence": services.evidence_for(app.person) if own else None,
            "can_edit": can(request.user, Perm.EDIT_AWARD, app),
            "can_verify": can(request.user, Perm.VERIFY_AWARD, app),
            "can_outcome": can(request.user, Perm.RECORD_AWARD_OUTCOME, app),
            "open_case": selectors.open_case_known(request.user, app),
        },
    )


def summary(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_AWARDS_SUMMARY)
    return render(
        request,
        "awards/summary.jinja",
        {"current_trust": trust, "section": SECTION, **selectors.summary(trust=trust)},
    )
