"""Pages for board members' fit and proper person records: the register, one assessment (checks, the member's
self-attestation, the sign-off), the annual return (page, PDF, ESR-ready CSV) and leavers' references. Every read
of a record is audited; anyone the policy does not name gets 404, so a record's existence does not leak."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from medlead.core.dates import today
from medlead.core.exports import download
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read, require
from medlead.core.views import form_flow
from medlead.fitproper import selectors, services
from medlead.fitproper.forms import AttestForm, CheckForm, LeaverForm, OpenForm, SignOffForm
from medlead.fitproper.models import AnnualReturn, Assessment
from medlead.organisation.models import BoardMember
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


def assessment(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = trust_for(request.user, trust_code)
    a = Assessment.objects.filter(trust=trust, pk=pk).select_related("member__person", "decided_by").first()
    if a is None or not can(request.user, Perm.VIEW_FPPT, a):
        raise Http404  # whether a record exists is itself confidential
    action = request.POST.get("action", "") if request.method == "POST" else ""
    checks = services.checks_for(a.kind)
    forms: dict[str, Any] = {
        # prefixed: the forms share field names, and a page's ids must be unique
        "check": CheckForm(request.POST if action == "check" else None, checks=checks, prefix="check"),
        "attest": AttestForm(request.POST if action == "attest" else None, prefix="attest"),
        "sign_off": SignOffForm(request.POST if action == "sign_off" else None, prefix="sign"),
    }
    if action in forms and forms[action].is_valid():
        data = forms[action].cleaned_data
        try:
            if action == "check":
                services.check_record(actor=request.user, assessment=a, today=today(), **data)
            elif action == "attest":
                services.attest(actor=request.user, assessment=a, note=data["note"], today=today())
            else:
                services.sign_off(actor=request.user, assessment=a, today=today(), **data)
            messages.success(request, "Saved.")
            return redirect("fitproper:assessment", trust_code=trust.code, pk=a.pk)
        except ValidationError as exc:
            forms[action].add_error(None, exc)
    read(request.user, Perm.VIEW_FPPT, a, why="fit and proper assessment read")
    return render(
        request,
        "fitproper/assessment.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "a": a,
            "checklist": selectors.checklist(a),
            "lcf": selectors.board_self_assessment(a) if a.kind == "annual" else None,
            "missing": services.missing(a),
            "forms": forms,
            "today": today(),
            "can_register": can(request.user, Perm.MANAGE_FPPT, trust),
            "can_manage": can(request.user, Perm.MANAGE_FPPT, a) and a.outcome == "pending",
            "can_attest": can(request.user, Perm.ATTEST_FPPT, a),
            "can_sign": can(request.user, Perm.SIGN_OFF_FPPT, a),
        },
    )


def annual_return(request: HttpRequest, trust_code: str, year: int) -> HttpResponse:
    """The annual return to NHS England's regional director: each member's outcome. As a page, a PDF and a CSV in
    the column order of the ESR fit and proper fields (NOT VERIFIED: the ESR layout was not found in the sources)."""
    trust = trust_for(request.user, trust_code, Perm.MANAGE_FPPT)
    if not 2023 <= year <= today().year + 1:
        raise Http404
    submitted = AnnualReturn.objects.filter(trust=trust, year=year).select_related("submitted_by").first()
    if request.method == "POST":
        try:
            services.return_submit(actor=request.user, trust=trust, year=year, today=today())
            messages.success(request, "The return is signed off. Send the PDF to NHS England's regional director.")
            return redirect("fitproper:return", trust_code=trust.code, year=year)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("fitproper:return", trust_code=trust.code, year=year)
    rows = submitted.rows if submitted else services.return_rows(trust=trust, year=year)
    read(request.user, Perm.MANAGE_FPPT, trust, why=f"fit and proper annual return {year} read")
    fmt = request.GET.get("format", "")
    if fmt == "csv":
        header = ["Staff number", "Name", "Board role", "Interim", "Assessment", "Outcome", "Decided on", "Decided by"]
        keys = ["staff_number", "name", "role", "interim", "assessment", "outcome", "decided_on", "decided_by"]
        return download(f"fppt-return-{trust.code}-{year}", "csv", header, [[r[k] for k in keys] for r in rows])
    context = {
        "current_trust": trust,
        "section": SECTION,
        "year": year,
        "rows": rows,
        "submitted": submitted,
        "can_submit": can(request.user, Perm.SUBMIT_FPPT_RETURN, trust) and submitted is None,
    }
    if fmt == "pdf":
        return pdf_response(
            request,
            "fitproper/return_pdf.jinja",
            context,
            f"fppt-return-{trust.code}-{year}.pdf",
            trust=trust,
            confidential=True,
        )
    return render(request, "fitproper/return.jinja", context)


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
