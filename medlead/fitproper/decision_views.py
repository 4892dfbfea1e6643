"""The fit and proper decisions that count, each checked before it is taken (issue 31): the chair's sign-off of an
assessment and the annual return. The form, then "Check your answers" (nothing saved yet), then the decision and a
page saying what happens next. Neither decision is offered while it cannot be taken: the pages list what is missing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.policy import Perm, can, read, require
from medlead.core.views import changing, check_page, done_page
from medlead.fitproper import presenters, services
from medlead.fitproper.models import AnnualReturn, Outcome
from medlead.fitproper.views import SECTION, _assessment, _render, _return
from medlead.organisation.models import ReceiverKind
from medlead.organisation.receivers import receiver
from medlead.organisation.selectors import trust_for


@require_POST
def sign_off_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The chair's decision, checked: the answers to confirm, or the assessment's page with the form (its errors,
    or the answers to change). Nothing is saved here."""
    trust, a = _assessment(request, trust_code, pk)
    require(request.user, Perm.SIGN_OFF_FPPT, a)
    form = presenters.action_form("sign_off", a, request.POST)
    if changing(request) and form.is_valid():
        return _render(request, trust, a, ("sign_off", presenters.action_form("sign_off", a, request.POST)))
    if form.is_valid():
        try:
            services.sign_off_check(assessment=a, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"])
        except ValidationError as exc:
            form.add_error(None, exc)
    if not form.is_valid():
        return _render(request, trust, a, ("sign_off", form))
    read(request.user, Perm.VIEW_FPPT, a, why="fit and proper assessment read")
    outcome = Outcome(form.cleaned_data["outcome"])
    checks = list(a.checks.all())
    concerns = sum(1 for c in checks if c.found_concern)
    name = a.member.person.display_name
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="sign the assessment off",
        caption=f"{name}, {a.get_kind_display().lower()} {a.year}",
        facts=[
            ("Board member", f"{name}, {a.member.get_role_display().lower()}"),
            ("Assessment", f"{a.get_kind_display()} {a.year}"),
            (
                "Checks",
                f"All {len(checks)} recorded"
                + (f"; {concerns} found a concern" if concerns else "; none found a concern"),
            ),
            ("Self-attestation", f"Made on {a.attested_on:%-d %B %Y}" if a.attested_on else "Not made"),
        ],
        rows=[("Decision", outcome.label), ("Reasons", form.cleaned_data["note"] or "None given")],
        form=form,
        confirm_url=reverse("fitproper:sign_off", kwargs={"trust_code": trust.code, "pk": a.pk}),
        change_url=reverse("fitproper:sign_off_check", kwargs={"trust_code": trust.code, "pk": a.pk}),
        change_posts=True,
        says=[
            "Signing it off records your decision with your name and today's date on the member's record and in the "
            f"annual return for {a.year}. It cannot be changed afterwards."
        ],
        button="Confirm and sign it off",
        back=(reverse("fitproper:assessment", kwargs={"trust_code": trust.code, "pk": a.pk}), "Back to the assessment"),
    )


def _on(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


@require_safe
def decided(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation of a sign-off: what was decided and what happens next."""
    trust, a = _assessment(request, trust_code, pk)
    if a.outcome == Outcome.PENDING:
        return redirect("fitproper:assessment", trust_code=trust.code, pk=a.pk)
    read(request.user, Perm.VIEW_FPPT, a, why="fit and proper assessment read")
    name = a.member.person.display_name
    seen = "seen only by the chair, the company secretary and the member"
    if a.outcome == Outcome.NOT_FIT:
        steps = [f"Tell {name} of the decision and its reasons. It is on their fit and proper record, {seen}."]
    else:
        steps = [
            f"The decision is on {name}'s fit and proper record, {seen}. The next annual assessment opens on its own "
            "before the anniversary of their appointment."
        ]
    links = []
    if can(request.user, Perm.MANAGE_FPPT, trust):
        left = len(services.return_missing(trust=trust, year=a.year))
        steps.append(
            f"The annual return for {a.year} is signed off once every current board member's assessment for {a.year}"
            f" is decided: {left} {'is' if left == 1 else 'are'} still to decide."
            if left
            else f"Every current board member's assessment for {a.year} is decided: the annual return for {a.year} "
            "can now be signed off."
        )
        links.append(
            (
                reverse("fitproper:return", kwargs={"trust_code": trust.code, "year": a.year}),
                f"The annual return for {a.year}",
            )
        )
    back = reverse("fitproper:assessment", kwargs={"trust_code": trust.code, "pk": a.pk})
    links.append((back, "Back to the assessment"))
    decided_by = a.decided_by.display_name if a.decided_by else ""
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Assessment signed off",
        summary=f"{name}: {a.get_outcome_display().lower()} ({a.get_kind_display().lower()} {a.year}), decided on "
        f"{_on(a.decided_on) if a.decided_on else ''} by {decided_by}.",
        next_steps=steps,
        links=links,
    )


@require_safe
def return_check(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The return as it would be signed off, to check before signing it off; the return's page while it cannot be."""
    trust, submitted, rows = _return(request, trust_code, year)
    require(request.user, Perm.SUBMIT_FPPT_RETURN, trust)
    if submitted is not None or services.return_missing(trust=trust, year=year):
        return redirect("fitproper:return", trust_code=trust.code, year=year)
    here = reverse("fitproper:return", kwargs={"trust_code": trust.code, "year": year})
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=f"sign off the annual return for {year}",
        caption=f"Fit and proper annual return, {year}: each current board member's outcome, as the return and ESR "
        "will carry it",
        rows=[
            (
                f"{r['name']}, {r['role']}" + (" (interim)" if r["interim"] else ""),
                f"{r['outcome']}: {r['assessment'].lower()}"
                + (f", decided on {_on(dt.date.fromisoformat(r['decided_on']))}" if r["decided_on"] else "")
                + (f" by {r['decided_by']}" if r["decided_by"] else ""),
            )
            for r in rows
        ],
        form=None,
        confirm_url=reverse("fitproper:return_submit", kwargs={"trust_code": trust.code, "year": year}),
        change_url=here,
        change_text=f"Back to the annual return for {year}",
        says=[
            "Signing it off freezes the return as it stands today, with your name and today's date: later decisions "
            "do not change it."
        ],
        button="Confirm and sign off the return",
    )


@require_safe
def return_submitted(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The confirmation of the return's sign-off: what happens next."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    submitted = AnnualReturn.objects.filter(trust=trust, year=year).select_related("submitted_by").first()
    if submitted is None:
        raise Http404
    kw = {"trust_code": trust.code, "year": year}
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=f"Annual return for {year} signed off",
        summary=f"Signed off on {_on(submitted.submitted_on)} by {submitted.submitted_by.display_name}.",
        next_steps=[
            f"medlead does not send the return. Send its PDF to {_receiving(trust, submitted.submitted_on)}, and "
            "give the CSV file to whoever updates the board members' fit and proper records in ESR.",
            "The return is frozen as it stood today: the next year's assessments open on their own as they fall due.",
        ],
        links=[
            (reverse("fitproper:return_pdf", kwargs=kw), "Download the return as a PDF"),
            (reverse("fitproper:return_csv", kwargs=kw), "Download it for ESR as a CSV file"),
            (reverse("fitproper:register", kwargs={"trust_code": trust.code}), "Back to fit and proper person records"),
        ],
    )


def _receiving(trust: Any, on: dt.date) -> str:
    """Who receives the trust's annual return on ``on`` (organisation.Receiver, dated), in words."""
    found = receiver(ReceiverKind.FPPT_RETURN, trust, on=on)
    return found.body if found is not None else "the body that receives it (none is recorded: ask your region)"
