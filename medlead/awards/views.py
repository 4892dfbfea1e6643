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


# ------------------------------------------------------ submitting and verifying: decisions that count (issue 31)
# The consultant's submission (the domains as written, each counted against the limit) and the employer's
# verification: the form on the application's page, then "Check your answers" (nothing saved), then a confirmation
# saying what happens next. Submitting is offered once every domain has text saved; verifying once it is submitted.


def _base(trust: Trust, app: Application) -> dict[str, Any]:
    return {"trust_code": trust.code, "pk": app.pk}


def _round(app: Application) -> str:
    return f"National Clinical Impact Award, {app.round_year} round"


def _starts_step(app: Application) -> list[str]:
    """When an award of the application's round would start, where the round's rules say (from the 2025 round)."""
    starts = services.award_starts(app.trust_id, app.round_year)
    return [f"If an award is made, it starts on {starts:%-d %B %Y}."] if starts else []


@require_POST
def submit(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The domains as written, each with its word count against the limit, checked before they are submitted."""
    trust, app = _application(request, trust_code, pk)
    require(request.user, Perm.EDIT_AWARD, app)
    form = presenters.action_form("submit", app, request.POST)
    if not form.is_valid() or changing(request):
        return _render(request, trust, app, ("submit", form))
    limit = int(services.domain_word_limit(app.trust, app.round_year).value)
    texts = {code: str(text or "") for code, text in form.cleaned_data.items()}
    for code, message in services.domains_problems(texts, limit).items():
        form.add_error(code, message)
    if form.errors:
        return _render(request, trust, app, ("submit", form))
    names = services.domain_names()
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="submit your application",
        caption=_round(app),
        facts=[("Level you apply for", services.level_words(app.level))],
        rows=[(name, f"{services.words(texts.get(code, ''))} of {limit} words") for code, name in names.items()],
        form=form,
        confirm_url=reverse("awards:submit_confirm", kwargs=_base(trust, app)),
        change_url=reverse("awards:submit", kwargs=_base(trust, app)),
        says=[
            "Your text in each domain is saved as it is and sent for your employer's verification. You cannot "
            "change it after that.",
        ],
        button="Submit the application",
        change_posts=True,
    )


@require_POST
def submit_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app = _application(request, trust_code, pk)
    require(request.user, Perm.EDIT_AWARD, app)
    form = presenters.action_form("submit", app, request.POST)

    def save(d: dict[str, Any]) -> Application:
        saved = services.domains_save(actor=request.user, application=app, domains=d)
        return services.submit(actor=request.user, application=saved, today=today())

    return act(
        request,
        form,
        save=save,
        done=lambda _: redirect("awards:submitted", **_base(trust, app)),
        page=lambda bound: _render(request, trust, app, ("submit", bound)),
        saved="",
    )


@require_safe
def submitted(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app = _application(request, trust_code, pk)
    if app.submitted_on is None:
        return redirect("awards:application", **_base(trust, app))
    read(request.user, Perm.VIEW_AWARD, app, why="award application submission confirmed")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Application submitted",
        summary=f"Your application for the {app.round_year} round, {app.level}, was submitted on "
        f"{app.submitted_on:%-d %B %Y}.",
        next_steps=[
            "Your employer verifies it next: the medical director or medical staffing answer the round's questions "
            "about your application. It is on their list of applications now; medlead does not email them.",
            "medlead does not hold the round's closing dates: your employer verifies it within the dates the "
            "national scheme sets for the round.",
            "You see the verification, and then the outcome, on your application.",
            *_starts_step(app),
        ],
        links=[(reverse("awards:application", kwargs=_base(trust, app)), "Back to your application")],
    )


def _verify_form(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Application, Any]:
    trust, app = _application(request, trust_code, pk)
    require(request.user, Perm.VERIFY_AWARD, app)
    return trust, app, presenters.action_form("verify", app, request.POST)


@require_POST
def verify(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The employer's sign-off, checked: the round's questions as answered, what is disclosed and written."""
    trust, app, form = _verify_form(request, trust_code, pk)
    if not form.is_valid() or changing(request):
        return _render(request, trust, app, ("verify", form))
    d = form.cleaned_data
    for field, message in services.verify_problems(
        application=app, checks=form.checks(), investigations_note=d["investigations_note"], statement=d["statement"]
    ).items():
        form.add_error(field if field in form.fields else None, message)
    if form.errors:
        return _render(request, trust, app, ("verify", form))
    written = services.statement_rule(app.trust_id, app.round_year)
    answers = {q["code"]: q for q in form.questions}
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="verify the application",
        caption=_round(app),
        facts=[("Consultant", app.person.display_name), ("Applied for", app.level)],
        rows=[(q["name"], form.checks()[code].capitalize()) for code, q in answers.items()]
        + [
            ("Investigations and sanctions", d["investigations_note"] or "None"),
            (written["name"], d["statement"] or "None"),
        ],
        form=form,
        confirm_url=reverse("awards:verify_confirm", kwargs=_base(trust, app)),
        change_url=reverse("awards:verify", kwargs=_base(trust, app)),
        says=[
            "The verification is recorded on the application with your name and today's date, and the application "
            "is shown as verified by the employer. It cannot be changed afterwards.",
        ],
        button="Record the verification",
        change_posts=True,
    )


@require_POST
def verify_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app, form = _verify_form(request, trust_code, pk)
    return act(
        request,
        form,
        save=lambda d: services.verify(
            actor=request.user,
            application=app,
            checks=form.checks(),
            investigations_note=d["investigations_note"],
            statement=d["statement"],
            today=today(),
        ),
        done=lambda _: redirect("awards:verified", **_base(trust, app)),
        page=lambda bound: _render(request, trust, app, ("verify", bound)),
        saved="",
    )


@require_safe
def verified(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, app = _application(request, trust_code, pk)
    if app.verified_on is None:
        return redirect("awards:application", **_base(trust, app))
    read(request.user, Perm.VIEW_AWARD, app, why="award verification confirmed")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Application verified",
        summary=f"{app.person.display_name}, {app.round_year} round, {app.level}: verified on "
        f"{app.verified_on:%-d %B %Y}.",
        next_steps=[
            "medlead does not send the verification to the national scheme, and does not email the consultant: "
            "they see that it is verified on their application.",
            'When the national scheme announces the outcome, record it on the application: "Record the outcome" '
            "is offered there now.",
            *_starts_step(app),
        ],
        links=[(reverse("awards:application", kwargs=_base(trust, app)), "Back to the application")],
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
