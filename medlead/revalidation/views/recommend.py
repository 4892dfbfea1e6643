"""The responsible officer's recommendation, a decision that counts (issue 31): the form on the doctor's record,
then "Check your answers" (nothing saved yet), then the recommendation and a page saying what happens next: submit
it on GMC Connect by the submission date. Until it is marked submitted it is a task on the responsible officer's
first page, and the doctor's next recommendation is not offered."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.policy import Perm
from medlead.core.views import changing, check_page
from medlead.organisation.models import Person, Trust
from medlead.organisation.selectors import trust_for
from medlead.revalidation import selectors, services
from medlead.revalidation.forms import GmcSubmittedForm, RecommendForm
from medlead.revalidation.models import Connection, Recommendation, RecommendationKind
from medlead.revalidation.views.queue import doctor_page

SECTION = "revalidation"


def _doctor(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Person, Connection]:
    trust = trust_for(request.user, trust_code, Perm.MAKE_RECOMMENDATIONS)
    person = get_object_or_404(Person, trust=trust, pk=pk)
    connection = selectors.active_connection(person)
    if connection is None:
        raise Http404("This doctor has no prescribed connection here.")
    return trust, person, connection


def _save(request: HttpRequest, connection: Connection, form: RecommendForm) -> Recommendation:
    data = form.cleaned_data
    return services.recommend(
        actor=request.user,
        connection=connection,
        kind=data["kind"],
        evidence=data["evidence"],
        today=dates.today(),
        defer_to=data["defer_to"],
        defer_reason=data["defer_reason"],
        criteria=form.chosen_criteria(),
        acknowledged=data["acknowledged"],
    )


def _answers(form: RecommendForm) -> list[tuple[str, str]]:
    data = form.cleaned_data
    kind = RecommendationKind(data["kind"])
    rows = [("Recommendation", kind.label), ("What it rests on", data["evidence"])]
    if kind == RecommendationKind.DEFER:
        reasons = dict(form.fields["defer_reason"].choices)  # type: ignore[attr-defined]
        rows += [
            ("New submission date", f"{data['defer_to']:%-d %B %Y}" if data["defer_to"] else "None"),
            ("Reason for deferring", str(reasons.get(data["defer_reason"], ""))),
        ]
    chosen = form.chosen_criteria()
    if kind != RecommendationKind.REVALIDATE:
        field = "defer_criteria" if kind == RecommendationKind.DEFER else "criteria"
        texts = dict(form.fields[field].choices)  # type: ignore[attr-defined]
        rows.append(("Conditions confirmed", "; ".join(str(texts[c]) for c in chosen) or "None"))
    rows.append(("Warnings weighed", "Yes" if data["acknowledged"] else "No warnings to weigh"))
    return rows


@require_POST
def recommend_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The recommendation, checked: the answers to confirm, or the doctor's record with the form (its errors and
    what stands in the way, or the answers to change). Nothing is saved here."""
    trust, person, connection = _doctor(request, trust_code, pk)
    form = RecommendForm(request.POST)
    if changing(request):
        return doctor_page(request, trust, person, form)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.recommend_check(
                connection=connection,
                kind=data["kind"],
                evidence=data["evidence"],
                today=dates.today(),
                defer_to=data["defer_to"],
                defer_reason=data["defer_reason"],
                criteria=form.chosen_criteria(),
                acknowledged=data["acknowledged"],
            )
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return doctor_page(request, trust, person, form, checked=True)
    due = f"{connection.submission_date:%-d %B %Y}"
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="make the recommendation",
        caption=f"Revalidation: {person.display_name}, GMC number {person.gmc_number}",
        facts=[("Submission date", due)],
        rows=_answers(form),
        form=form,
        confirm_url=reverse("revalidation:recommend", kwargs={"trust_code": trust.code, "pk": person.pk}),
        change_url=reverse("revalidation:recommend_check", kwargs={"trust_code": trust.code, "pk": person.pk}),
        change_posts=True,
        says=[
            "Confirming records the recommendation in medlead with your name and today's date. medlead does not send "
            f"it to the GMC: you then submit it on GMC Connect by {due}."
        ],
        button="Confirm the recommendation",
        back=(
            reverse("revalidation:doctor", kwargs={"trust_code": trust.code, "pk": person.pk}),
            f"Back to {person.display_name}'s record",
        ),
    )


@require_POST
def recommend(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The checked recommendation, confirmed: recorded, then the page saying what happens next."""
    trust, person, connection = _doctor(request, trust_code, pk)
    form = RecommendForm(request.POST)
    return act(
        request,
        form,
        save=lambda _: _save(request, connection, form),
        done=lambda rec: redirect("revalidation:recommendation", trust_code=trust.code, pk=rec.pk),
        page=lambda bad: doctor_page(request, trust, person, form, checked=True),
        saved="",
    )


def _recommendation(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Recommendation]:
    trust = trust_for(request.user, trust_code, Perm.MAKE_RECOMMENDATIONS)
    rec = get_object_or_404(Recommendation.objects.select_related("person", "connection"), trust=trust, pk=pk)
    return trust, rec


def _recommendation_page(request: HttpRequest, trust: Trust, rec: Recommendation, form: Any = None) -> HttpResponse:
    today = dates.today()
    return render(
        request,
        "revalidation/recommendation.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "rec": rec,
            "today": today,
            "form": form or GmcSubmittedForm(initial={"submitted_on": today}),
        },
    )


@require_safe
def recommendation(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The recommendation made: what happens next (submit it on GMC Connect by the submission date) and, until it is
    marked submitted, the form to say so."""
    trust, rec = _recommendation(request, trust_code, pk)
    return _recommendation_page(request, trust, rec)


@require_POST
def gmc_submitted(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The responsible officer marks the recommendation submitted on GMC Connect."""
    trust, rec = _recommendation(request, trust_code, pk)
    return act(
        request,
        GmcSubmittedForm(request.POST),
        save=lambda d: services.gmc_submitted(
            actor=request.user, recommendation=rec, submitted_on=d["submitted_on"], today=dates.today()
        ),
        done=lambda _: redirect("revalidation:doctor", trust_code=trust.code, pk=rec.person_id),
        page=lambda bad: _recommendation_page(request, trust, rec, bad),
        saved=f"Marked as submitted to the GMC. {rec.person.display_name}'s next recommendation is offered when it "
        "falls due.",
    )
