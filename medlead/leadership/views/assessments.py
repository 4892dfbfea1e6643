"""Self-assessment: starting one, rating oneself with evidence (a draft, then submitted once), and evidence files."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_safe

from medlead.core import uploads
from medlead.core.policy import Perm, read, require_known
from medlead.core.views import form_page
from medlead.leadership import presenters, selectors, services
from medlead.leadership.forms import AssessmentForm, StartAssessmentForm
from medlead.leadership.models import SelfAssessment
from medlead.leadership.views.common import SECTION, person_of, render_page
from medlead.organisation.selectors import trust_for


def assessment_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = person_of(request, trust_code)
    form = StartAssessmentForm(request.POST or None, frameworks=selectors.rateable_for(trust))
    if request.method == "POST" and form.is_valid():
        a = services.assessment_start(
            actor=request.user,
            person=person,
            framework=form.cleaned_data["framework"],
            target_role=form.cleaned_data["target_role"],
        )
        return redirect("leadership:assessment", trust_code=trust.code, pk=a.pk)
    return form_page(
        request, trust=trust, section=SECTION, form=form, title="Start a self-assessment", button="Continue"
    )


def assessment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(SelfAssessment.objects.select_related("framework"), trust=trust, pk=pk)
    require_known(request.user, a, Perm.VIEW_ASSESSMENT)  # 404 for anyone else: it is the doctor's own
    items = list(a.framework.items.all())
    errors: list[str] = []
    unrated_to_confirm = 0
    typed = None
    if request.method == "POST":
        form = AssessmentForm(request.POST, request.FILES, items=items, scale=a.framework.scale)
        if form.is_valid():
            ratings = form.ratings()
            submit = form.submitting
            unrated = sum(1 for r in ratings.values() if not r["level"])
            # Submitting locks the assessment: with items unrated, save the draft and ask first.
            confirm_first = submit and unrated and form.cleaned_data["confirm_partial"] != "yes"
            try:
                services.assessment_save(
                    actor=request.user, assessment=a, ratings=ratings, submit=submit and not confirm_first
                )
                if confirm_first:
                    unrated_to_confirm = unrated
                else:
                    messages.success(request, "Self-assessment submitted." if submit else "Draft saved.")
                    return redirect("leadership:assessment", trust_code=trust.code, pk=a.pk)
            except ValidationError as exc:
                errors = exc.messages
        else:
            errors = [str(m) for field_errors in form.errors.values() for m in field_errors]
        typed = form.data if errors else None
    return render_page(
        request,
        "leadership/assessment.jinja",
        trust,
        a=a,
        items=items,
        errors=errors,
        typed=typed,
        unrated_to_confirm=unrated_to_confirm,
        **presenters.assessment_page(a, items),
    )


@require_safe
def evidence_file(request: HttpRequest, trust_code: str, pk: int, rating_pk: int) -> HttpResponseBase:
    """An evidence file, for the doctor whose self-assessment it belongs to only."""
    trust = trust_for(request.user, trust_code)
    a = get_object_or_404(SelfAssessment, trust=trust, pk=pk)
    read(request.user, Perm.VIEW_ASSESSMENT, a, why="evidence file downloaded")
    rating = get_object_or_404(a.ratings.exclude(file=""), pk=rating_pk)
    return uploads.serve(rating.file)
