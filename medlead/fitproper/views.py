"""Pages for board members' fit and proper person records: the register, one assessment and its actions (a check,
the member's self-attestation, the sign-off; a view and a form each), the annual return (page, PDF, ESR-ready CSV,
sign-off) and leavers' references. Every read
of a record is audited; anyone the policy does not name gets 404, so a record's existence does not leak."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.exports import download
from medlead.core.page_actions import act, errors_of
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import form_flow
from medlead.fitproper import presenters, selectors, services
from medlead.fitproper.forms import LeaverForm, OpenForm, ReturnSubmitForm
from medlead.fitproper.models import AnnualReturn, Assessment
from medlead.organisation.models import BoardMember, ReceiverKind, Trust
from medlead.organisation.receivers import receiver
from medlead.organisation.selectors import trust_for

SECTION = "board"


def register(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    return render(
        request,
        "fitproper/register.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "seats": selectors.register(trust=trust, today=today()),
            "today": today(),
            "year": today().year,
            "leavers": BoardMember.objects.filter(trust=trust, end__isnull=False, leaver_reference__isnull=True)
            .select_related("person")
            .order_by("-end")[:50],
        },
    )


def _member(trust: Any, pk: int) -> BoardMember:
    return get_object_or_404(BoardMember.objects.select_related("person"), trust=trust, pk=pk)


def open_assessment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    member = _member(trust, pk)
    return form_flow(
        request,
        trust=trust,
        section=SECTION,
        form=OpenForm(request.POST or None, initial={"kind": "annual", "year": today().year, "due_on": today()}),
        title=f"Open an assessment for {member.person.display_name}",
        save=lambda d: services.assessment_open(actor=request.user, member=member, **d),
        done=lambda a: redirect("fitproper:assessment", trust_code=trust.code, pk=a.pk),
    )


def _assessment(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Assessment]:
    trust = trust_for(request.user, trust_code)
    a = Assessment.objects.filter(trust=trust, pk=pk).select_related("member__person", "decided_by").first()
    if a is None or not can(request.user, Perm.VIEW_FPPT, a):
        raise Http404  # whether a record exists is itself confidential
    return trust, a


def _render(request: HttpRequest, trust: Trust, a: Assessment, posted: Any = None) -> HttpResponse:
    """The assessment's page, its read audited; with the form just posted and its errors, if any."""
    if posted is not None:
        a.refresh_from_db()  # as saved: a refused change left nothing behind
    read(request.user, Perm.VIEW_FPPT, a, why="fit and proper assessment read")
    context = presenters.assessment_page(actor=request.user, trust=trust, assessment=a, today=today(), posted=posted)
    return render(request, "fitproper/assessment.jinja", context)


@require_safe  # the page is read; its actions post to views of their own
def assessment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, a = _assessment(request, trust_code, pk)
    return _render(request, trust, a)


def _act(
    request: HttpRequest, trust_code: str, pk: int, name: str, perm: Perm, save: Any, done: str = "assessment"
) -> HttpResponse:
    """One action on an assessment, for those who may make it (its form is on their page); then the assessment's
    page, or (``done="decided"``) the confirmation of a decision."""
    trust, a = _assessment(request, trust_code, pk)
    require(request.user, perm, a)
    return act(
        request,
        presenters.action_form(name, a, request.POST),
        save=lambda d: save(a, d),
        done=lambda _: redirect(f"fitproper:{done}", trust_code=trust.code, pk=a.pk),
        page=lambda bound: _render(request, trust, a, (name, bound)),
        saved="Saved." if done == "assessment" else "",
    )


@require_POST
def check_record(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "check",
        Perm.MANAGE_FPPT,
        lambda a, d: services.check_record(actor=request.user, assessment=a, today=today(), **d),
    )


@require_POST
def attest(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    return _act(
        request,
        trust_code,
        pk,
        "attest",
        Perm.ATTEST_FPPT,
        lambda a, d: services.attest(actor=request.user, assessment=a, note=d["note"], today=today()),
    )


@require_POST
def sign_off(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The chair's decision, confirmed on the check-your-answers page (``decision_views.sign_off_check``)."""
    return _act(
        request,
        trust_code,
        pk,
        "sign_off",
        Perm.SIGN_OFF_FPPT,
        lambda a, d: services.sign_off(actor=request.user, assessment=a, today=today(), **d),
        done="decided",
    )


def _return(request: HttpRequest, trust_code: str, year: int) -> tuple[Trust, AnnualReturn | None, list[Any]]:
    """The year's return: as signed off, or as it stands; its read audited."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    if not 2023 <= year <= today().year + 1:
        raise Http404
    submitted = AnnualReturn.objects.filter(trust=trust, year=year).select_related("submitted_by").first()
    rows = submitted.rows if submitted else services.return_rows(trust=trust, year=year)
    read(request.user, Perm.MANAGE_FPPT, trust, why=f"fit and proper annual return {year} read")
    return trust, submitted, rows


def _return_context(request: HttpRequest, trust: Trust, year: int, submitted: Any, rows: list[Any]) -> dict[str, Any]:
    return {
        "current_trust": trust,
        "section": SECTION,
        "year": year,
        "rows": rows,
        "submitted": submitted,
        "can_submit": can(request.user, Perm.SUBMIT_FPPT_RETURN, trust) and submitted is None,
        "missing": services.return_missing(trust=trust, year=year) if submitted is None else [],
        # who receives it, as the dated rows say on the day it was signed off (or today, for a draft)
        "receiver": receiver(ReceiverKind.FPPT_RETURN, trust, on=submitted.submitted_on if submitted else today()),
    }


@require_safe  # the page is read; its actions post to views of their own
def annual_return(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The annual return to the body that receives it (``organisation.receivers``): each member's outcome, as a
    page; its PDF and its CSV for ESR have addresses of their own."""
    trust, submitted, rows = _return(request, trust_code, year)
    return render(request, "fitproper/return.jinja", _return_context(request, trust, year, submitted, rows))


@require_safe  # the page is read; its actions post to views of their own
def annual_return_pdf(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    trust, submitted, rows = _return(request, trust_code, year)
    return pdf_response(
        request,
        "fitproper/return_pdf.jinja",
        _return_context(request, trust, year, submitted, rows),
        f"fppt-return-{trust.code}-{year}.pdf",
        trust=trust,
        confidential=True,
    )


@require_safe  # the page is read; its actions post to views of their own
def annual_return_csv(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The return in the column order of the ESR fit and proper fields (NOT VERIFIED: the ESR layout was not found
    in the sources)."""
    trust, _, rows = _return(request, trust_code, year)
    header = ["Staff number", "Name", "Board role", "Interim", "Assessment", "Outcome", "Decided on", "Decided by"]
    keys = ["staff_number", "name", "role", "interim", "assessment", "outcome", "decided_on", "decided_by"]
    return download(f"fppt-return-{trust.code}-{year}", "csv", header, [[r[k] for k in keys] for r in rows])


@require_POST
def annual_return_submit(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The chair signs the return off, confirmed on its check-your-answers page (``decision_views.return_check``)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    if not 2023 <= year <= today().year + 1:
        raise Http404
    return act(
        request,
        ReturnSubmitForm(request.POST),
        save=lambda _: services.return_submit(actor=request.user, trust=trust, year=year, today=today()),
        done=lambda _: redirect("fitproper:return_submitted", trust_code=trust.code, year=year),
        page=lambda form: _refused(request, form, trust, year),
        saved="",
    )


def _refused(request: HttpRequest, form: Any, trust: Trust, year: int) -> HttpResponse:
    """A refused sign-off is said on the return's page (as a message: the page has no form to show it on)."""
    messages.error(request, " ".join(errors_of(form)))
    return redirect("fitproper:return", trust_code=trust.code, year=year)


def leaver(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    member = _member(trust, pk)
    require(request.user, Perm.MANAGE_FPPT, member)
    return form_flow(
        request,
        trust=trust,
        section=SECTION,
        form=LeaverForm(request.POST or None, initial={"completed_on": today()}),
        title=f"Leaver's reference for {member.person.display_name}",
        save=lambda d: services.leaver_reference(actor=request.user, member=member, **d),
        done=lambda _: redirect("fitproper:register", trust_code=trust.code),
        saved="The reference is kept.",
    )
