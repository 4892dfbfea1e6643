"""Pages for National Clinical Impact Award applications: a consultant's own, the employer's list and verification,
and the medical director's summary with equality in aggregate only."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.awards import presenters, selectors, services
from medlead.awards.forms import StartForm
from medlead.awards.models import Application
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, person_id, read, require
from medlead.core.views import changing, check_page, done_page, form_flow
from medlead.organisation.models import Trust
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
            "levels": [services.level_words(lv) for lv in services.rules()["levels"]],
            "level_note": services.level_note(),
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


def _application(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Application]:
    trust = trust_for(request.user, trust_code)
    app = Application.objects.filter(trust=trust, pk=pk).select_related("person", "verified_by").first()
    if app is None or not can(request.user, Perm.VIEW_AWARD, app):
        raise Http404
    return trust, app


def _render(request: HttpRequest, trust: Trust, app: Application, posted: Any = None) -> HttpResponse:
    """The application's page, its read audited; with the form just posted and its errors, if any."""
    if posted is not None:
        app.refresh_from_db()  # as saved: a refused change left nothing behind
    read(request.user, Perm.VIEW_AWARD, app, why="award application read")
    context = presenters.application_page(actor=request.user, trust=trust, app=app, posted=posted)
    return render(request, "awards/application.jinja", context)


@require_safe  # the page is read; its actions post to views of their own
def application(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app = _application(request, trust_code, pk)
    return _render(request, trust, app)


def _act(
    request: HttpRequest, trust_code: str, pk: int, name: str, perm: Perm, save: Any, saved: str = "Saved."
) -> HttpResponse:
    """One action on an application, for those who may make it (its form is on their page)."""
    trust, app = _application(request, trust_code, pk)
    require(request.user, perm, app)
    form = presenters.action_form(name, app, request.POST)
    return act(
        request,
        form,
        save=lambda d: save(app, form, d),
        done=lambda _: redirect("awards:application", trust_code=trust.code, pk=app.pk),
        page=lambda bound: _render(request, trust, app, (name, bound)),
        saved=saved,
    )


@require_POST
def draft_save(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "draft",
        Perm.EDIT_AWARD,
        lambda app, form, d: services.domains_save(actor=request.user, application=app, domains=d),
    )


@require_POST
def submit(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Save the domains as written and submit them for the employer's verification."""

    def save(app: Application, form: Any, d: dict[str, Any]) -> Application:
        saved = services.domains_save(actor=request.user, application=app, domains=d)
        return services.submit(actor=request.user, application=saved, today=today())

    return _act(request, trust_code, pk, "submit", Perm.EDIT_AWARD, save, "Submitted for the employer's verification.")


@require_POST
def verify(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "verify",
        Perm.VERIFY_AWARD,
        lambda app, form, d: services.verify(
            actor=request.user,
            application=app,
            checks=form.checks(),
            investigations_note=d["investigations_note"],
            statement=d["statement"],
            today=today(),
        ),
    )


# -------------------------------------------------------------- the outcome: a decision that counts (issue 31)
# The national committee's outcome, recorded by the employer: the form on the application's page, then "Check your
# answers" (nothing saved), then a confirmation saying what happens next. Offered only for a verified application.


def _outcome_form(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Application, Any]:
    trust, app = _application(request, trust_code, pk)
    require(request.user, Perm.RECORD_AWARD_OUTCOME, app)
    return trust, app, presenters.action_form("outcome", app, request.POST)


def _outcome_words(app: Application, level: str) -> str:
    return f"Awarded at {level}" if level else "Not awarded"


@require_POST
def outcome(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app, form = _outcome_form(request, trust_code, pk)
    if not form.is_valid() or changing(request):
        return _render(request, trust, app, ("outcome", form))
    level = form.cleaned_data["level_awarded"]
    starts = services.award_starts(trust, app.round_year) if level else None
    base = {"trust_code": trust.code, "pk": app.pk}
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="record the outcome",
        caption=f"National Clinical Impact Award, {app.round_year} round",
        facts=[("Consultant", app.person.display_name), ("Applied for", app.level)],
        rows=[("Outcome", _outcome_words(app, level))]
        + ([("The award starts on", f"{starts:%-d %B %Y}")] if starts else []),
        form=form,
        confirm_url=reverse("awards:outcome_confirm", kwargs=base),
        change_url=reverse("awards:outcome", kwargs=base),
        says=[
            "The outcome is recorded on the application with your name, and the consultant sees it on their "
            "application."
        ],
        button="Record the outcome",
        change_posts=True,
    )


@require_POST
def outcome_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app, form = _outcome_form(request, trust_code, pk)
    return act(
        request,
        form,
        save=lambda d: services.outcome(actor=request.user, application=app, **d),
        done=lambda _: redirect("awards:outcome_recorded", trust_code=trust.code, pk=app.pk),
        page=lambda bound: _render(request, trust, app, ("outcome", bound)),
        saved="",
    )


@require_safe
def outcome_recorded(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app = _application(request, trust_code, pk)
    if not app.outcome_recorded:
        return redirect("awards:application", trust_code=trust.code, pk=app.pk)
    read(request.user, Perm.VIEW_AWARD, app, why="award outcome confirmed")
    steps = [f"The award starts on {app.starts_on:%-d %B %Y}."] if app.starts_on else []
    steps.append(
        "medlead does not email the consultant: they see the outcome on their application the next time they open it."
    )
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Outcome recorded",
        summary=f"{app.person.display_name}, {app.round_year} round: {_outcome_words(app, app.level_awarded)}.",
        next_steps=steps,
        links=[
            (reverse("awards:application", kwargs={"trust_code": trust.code, "pk": app.pk}), "Back to the application")
        ],
    )


def summary(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.VIEW_AWARDS_SUMMARY)
    return render(
        request,
        "awards/summary.jinja",
        {"current_trust": trust, "section": SECTION, **selectors.summary(trust=trust)},
    )
