"""The trust's own validated questionnaires: the responsible officer or medical staffing loads one (checked, then
confirmed) as a new version, which the trust's doctors may then choose when they start an exercise."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import page_actions
from medlead.core.policy import Perm
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.feedback import selectors, services
from medlead.feedback.forms import QuestionnaireForm
from medlead.feedback.views.common import SECTION, render_page
from medlead.organisation.selectors import trust_for

TITLE = "Load the trust's own questionnaire"


def _list_url(trust_code: str) -> str:
    return reverse("feedback:questionnaires", kwargs={"trust_code": trust_code})


@require_safe
def questionnaires(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    return render_page(
        request, "feedback/questionnaires.jinja", trust, questionnaires=selectors.questionnaires(trust=trust)
    )


def questionnaire_add(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The form, then "Check your answers" (nothing saved yet)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    posting = request.method == "POST" and not changing(request)
    form = QuestionnaireForm(request.POST if request.method == "POST" else None)
    if posting and form.is_valid():
        data = form.cleaned_data
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="load this questionnaire",
            rows=[
                ("Who answers it", dict(form.fields["kind"].choices)[data["kind"]]),  # type: ignore[attr-defined]
                ("Name", data["name"]),
                ("Where it was validated", data["source"]),
                ("Doctors may use it from", f"{data['applies_from']:%-d %B %Y}"),
                ("Recommended number of responses", str(data["recommended_responses"])),
                ("Scale", ", ".join(data["scale"]) + (f"; {data['not_applicable']}" if data["not_applicable"] else "")),
                ("Questions", f"{len(data['questions'])}, then a question for comments"),
            ],
            form=form,
            confirm_url=reverse("feedback:questionnaire_add_confirm", kwargs={"trust_code": trust.code}),
            change_url=reverse("feedback:questionnaire_add", kwargs={"trust_code": trust.code}),
            change_posts=True,
            says=[
                "From the date it applies, the trust's doctors can choose it when they start a feedback exercise.",
                "Exercises already started keep the questionnaire they started with.",
            ],
            button="Load the questionnaire",
        )
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=TITLE,
        lede="A questionnaire the trust has had validated, offered to its doctors beside the national ones.",
        button="Continue",
        back=(_list_url(trust.code), "Back to the questionnaires"),
    )


@require_POST
def questionnaire_add_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FEEDBACK_ADMINISTRATORS)
    form = QuestionnaireForm(request.POST)
    if form.is_valid():
        try:
            made = services.questionnaire_add(actor=request.user, trust=trust, **form.cleaned_data)
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="The questionnaire is loaded",
                summary=f"{made.name}, version {made.version}, from {made.applies_from:%-d %B %Y}.",
                next_steps=[
                    "From that date the trust's doctors can choose it when they start a feedback exercise.",
                    "To change it, load it again with the same name: that makes a new version.",
                ],
                links=[(_list_url(trust.code), "Back to the questionnaires")],
            )
    return form_page(request, trust=trust, section=SECTION, form=form, title=TITLE, button="Continue")
