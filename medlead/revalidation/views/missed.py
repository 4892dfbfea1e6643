"""The responsible officer's decision on a missed or incomplete appraisal, a decision that counts (issue 31): its
question (approved or not), then "Check your answers" (nothing saved yet), then a confirmation saying what happens
next. It is offered, from the doctor's record, only on a missed appraisal that is not the responsible officer's
own; a forced post on any other is refused with the reason."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.policy import Perm, can
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.revalidation import selectors, services
from medlead.revalidation.forms import MissedDecisionForm
from medlead.revalidation.models import Appraisal

SECTION = "revalidation"


def _appraisal(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Appraisal]:
    trust = trust_for(request.user, trust_code, Perm.MAKE_RECOMMENDATIONS)
    return trust, get_object_or_404(Appraisal.objects.select_related("person"), trust=trust, pk=pk)


def _record(trust: Trust, a: Appraisal) -> str:
    return reverse("revalidation:doctor", kwargs={"trust_code": trust.code, "pk": a.person_id})


def _refused(request: HttpRequest, trust: Trust, a: Appraisal) -> HttpResponse | None:
    """Back to the doctor's record with the reason, when the decision cannot be taken on this appraisal."""
    if can(request.user, Perm.DECIDE_MISSED_APPRAISAL, a):
        return None
    if a.is_missed:
        messages.error(request, "You cannot decide on your own missed appraisal: your responsible officer does.")
    else:
        messages.error(request, "Only a missed or incomplete appraisal is approved or not.")
    return redirect(_record(trust, a))


def _words(approved: bool | None) -> str:
    return {True: "Approved", False: "Not approved"}.get(approved, "Not yet decided")  # type: ignore[arg-type]


def _question(request: HttpRequest, trust: Trust, a: Appraisal, form: MissedDecisionForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"The missed appraisal for {a.year_label}: {a.person.display_name}",
        lede=f"Recorded as missed or incomplete: {a.missed_reason}. Decision so far: {_words(a.missed_approved)}.",
        button="Continue",
        back=(_record(trust, a), f"Back to {a.person.display_name}'s record"),
    )


def missed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """GET: the question. POST: the answer checked ("Check your answers"), or the question again with the error."""
    trust, a = _appraisal(request, trust_code, pk)
    if (refused := _refused(request, trust, a)) is not None:
        return refused
    if request.method != "POST":
        before = {True: "yes", False: "no"}.get(a.missed_approved)  # type: ignore[arg-type]
        initial: dict[str, Any] = {"approved": before} if before else {}
        return _question(request, trust, a, MissedDecisionForm(initial=initial))
    form = MissedDecisionForm(request.POST)
    if not form.is_valid() or changing(request):
        return _question(request, trust, a, form)
    approved = form.approves()
    connection = selectors.active_connection(a.person)
    says = (
        [
            f"The {a.year_label} appraisal is recorded as missed with your approval. The doctor's revalidation "
            "record no longer lists it as a gap."
        ]
        if approved
        else [
            f"The {a.year_label} appraisal is recorded as missed without approval. The doctor's revalidation record "
            "lists it as a gap, among what you weigh when you make the recommendation."
        ]
    )
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="decide on the missed appraisal",
        caption=f"Revalidation: {a.person.display_name}",
        facts=[
            ("Doctor", a.person.display_name),
            ("Appraisal year", a.year_label),
            ("Reason recorded", a.missed_reason or "None"),
            *([("Recommendation due by", f"{connection.submission_date:%-d %B %Y}")] if connection else []),
        ],
        rows=[("Your decision", _words(approved))]
        + ([("It replaces", _words(a.missed_approved))] if a.missed_approved is not None else []),
        form=form,
        confirm_url=reverse("revalidation:missed_confirm", kwargs={"trust_code": trust.code, "pk": a.pk}),
        change_url=reverse("revalidation:missed", kwargs={"trust_code": trust.code, "pk": a.pk}),
        says=says,
        button="Record the decision",
        change_posts=True,
    )


@require_POST
def missed_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, a = _appraisal(request, trust_code, pk)
    form = MissedDecisionForm(request.POST)
    if not form.is_valid():
        return _question(request, trust, a, form)
    try:
        services.missed_decision(actor=request.user, appraisal=a, approved=form.approves())
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect(_record(trust, a))
    return redirect("revalidation:missed_decided", trust_code=trust.code, pk=a.pk)


@require_safe
def missed_decided(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, a = _appraisal(request, trust_code, pk)
    if not a.is_missed or a.missed_approved is None:
        return redirect(_record(trust, a))
    connection = selectors.active_connection(a.person)
    steps = [
        "The doctor's record no longer lists it as a gap in this revalidation cycle."
        if a.missed_approved
        else "The doctor's record lists it as a gap: an appraisal missed without approval."
    ]
    if connection is not None:
        steps.append(
            f"The recommendation for {a.person.display_name} is due by {connection.submission_date:%-d %B %Y}: "
            "you make it from their record, which shows this decision."
        )
    steps.append("medlead does not email the doctor: tell them of your decision yourself.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Missed appraisal approved" if a.missed_approved else "Missed appraisal not approved",
        summary=f"{a.person.display_name}, {a.year_label}: {_words(a.missed_approved).lower()}.",
        next_steps=steps,
        links=[(_record(trust, a), f"Back to {a.person.display_name}'s record")],
    )
