"""The fit and proper decisions that count, each checked before it is taken (issue 31): the chair's sign-off of an
assessment and the annual return. The form, then "Check your answers" (nothing saved yet), then the decision and a
page saying what happens next. Neither decision is offered while it cannot be taken: the pages list what is missing.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import changing, check_page
from medlead.fitproper import presenters, services
from medlead.fitproper.models import AnnualReturn, Outcome
from medlead.fitproper.views import SECTION, _assessment, _render, _return, _return_context
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


@require_safe
def decided(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation of a sign-off: what was decided and what happens next."""
    trust, a = _assessment(request, trust_code, pk)
    if a.outcome == Outcome.PENDING:
        return redirect("fitproper:assessment", trust_code=trust.code, pk=a.pk)
    read(request.user, Perm.VIEW_FPPT, a, why="fit and proper assessment read")
    return render(
        request,
        "fitproper/decided.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "a": a,
            "still_to_decide": len(services.return_missing(trust=trust, year=a.year))
            if can(request.user, Perm.MANAGE_FPPT, trust)
            else None,
            "may_return": can(request.user, Perm.MANAGE_FPPT, trust),
        },
    )


@require_safe
def return_check(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The return as it would be signed off, to check before signing it off; the return's page while it cannot be."""
    trust, submitted, rows = _return(request, trust_code, year)
    require(request.user, Perm.SUBMIT_FPPT_RETURN, trust)
    if submitted is not None or services.return_missing(trust=trust, year=year):
        return redirect("fitproper:return", trust_code=trust.code, year=year)
    return render(request, "fitproper/return_check.jinja", _return_context(request, trust, year, submitted, rows))


@require_safe
def return_submitted(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The confirmation of the return's sign-off: what happens next."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    submitted = AnnualReturn.objects.filter(trust=trust, year=year).select_related("submitted_by").first()
    if submitted is None:
        raise Http404
    return render(
        request,
        "fitproper/return_submitted.jinja",
        {"current_trust": trust, "section": SECTION, "year": year, "submitted": submitted, "today": today()},
    )
