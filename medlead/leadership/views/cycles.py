"""360 feedback cycles: starting one, the subject's page (nominating raters), the approver's page, reminding,
closing, and the report (its page and its PDF)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect
from django.views.decorators.http import require_POST, require_safe

from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, read, require, require_known
from medlead.core.views import form_page
from medlead.leadership import presenters, selectors, services
from medlead.leadership.forms import (
    NOMINEE_GROUPS,
    ApproveForm,
    NominateForm,
    OpenCycleForm,
)
from medlead.leadership.models import Approval, FeedbackCycle, RaterGroup
from medlead.leadership.views.common import SECTION, person_of, render_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for


def cycle_new(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust, person = person_of(request, trust_code)
    form = OpenCycleForm(request.POST or None, frameworks=selectors.rateable_for(trust), trust=trust)
    if request.method == "POST" and form.is_valid():
        try:
            cycle = services.cycle_open(actor=request.user, subject=person, today=today(), **form.cleaned_data)
            return redirect("leadership:cycle", trust_code=trust.code, pk=cycle.pk)
        except ValidationError as exc:
            form.add_error(None, exc)
    return form_page(
        request, trust=trust, section=SECTION, form=form, title="Start a 360 feedback cycle", button="Continue"
    )


def _cycle(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, FeedbackCycle]:
    trust = trust_for(request.user, trust_code)
    c = get_object_or_404(FeedbackCycle.objects.select_related("framework", "subject"), trust=trust, pk=pk)
    # a 360 is known to its subject, its facilitator and, while nominations wait, the line managers who approve
    # them; 404 for everyone else, as for a cycle that does not exist
    require_known(request.user, c, Perm.MANAGE_CYCLE, Perm.CLOSE_CYCLE, Perm.VIEW_360_REPORT, Perm.APPROVE_RATERS)
    return trust, c


def cycle(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The subject's page: responses so far (numbers only), and nominating raters."""
    trust, c = _cycle(request, trust_code, pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    errors: list[str] = []
    form = NominateForm(request.POST if request.method == "POST" else None)
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError(form.messages())
            nominees = form.nominees()
            if not nominees:
                raise ValidationError("Give at least one rater's name and email address.")
            created = services.raters_nominate(actor=request.user, cycle=c, nominees=nominees, rows=form.rows())
            who = "your facilitator" if c.facilitator_id else "your line manager"
            messages.success(
                request,
                f"{len(created)} {'nomination' if len(created) == 1 else 'nominations'} sent to {who} for approval; "
                "each invitation goes once approved.",
            )
            return redirect("leadership:cycle", trust_code=trust.code, pk=c.pk)
        except ValidationError as exc:
            errors = exc.messages
    return render_page(
        request,
        "leadership/cycle.jinja",
        trust,
        c=c,
        errors=errors,
        groups=NOMINEE_GROUPS,
        rows=range(NominateForm.ROWS),
        # what was typed, shown again when the nominations were refused
        posted=form.data if errors else {},
        **presenters.cycle_page(request.user, c),
    )


def approve_raters(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The facilitator or a line manager approves a 360's nominations. Rater identities are read here, audited."""
    trust, c = _cycle(request, trust_code, pk)
    read(request.user, Perm.APPROVE_RATERS, c, why="360 nominations read for approval")
    pending = list(c.raters.filter(approval=Approval.PENDING).order_by("group", "pk"))
    form = ApproveForm(request.POST if request.method == "POST" else None, cycle=c, pending=pending)
    errors: list[str] = []
    if request.method == "POST":
        try:
            if not form.is_valid():
                raise ValidationError([str(m) for field_errors in form.errors.values() for m in field_errors])
            approved, declined = services.raters_approve(
                actor=request.user,
                cycle=c,
                approve=form.decided("approve"),
                decline=form.decided("decline"),
                confirm_unknown=[r.pk for r in form.cleaned_data["confirm"]],
            )
            messages.success(request, f"{approved} approved and invited; {declined} declined.")
            return redirect("leadership:approve", trust_code=trust.code, pk=c.pk)
        except ValidationError as exc:
            errors = exc.messages
    return render_page(
        request,
        "leadership/approve.jinja",
        trust,
        c=c,
        pending=pending,
        decided=c.raters.exclude(group=RaterGroup.SELF).exclude(approval=Approval.PENDING).count(),
        errors=errors,
        posted=form.data if form.is_bound else QueryDict(),
    )


@require_POST
def cycle_remind(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, c = _cycle(request, trust_code, pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    messages.success(request, f"Reminders sent to {services.reminders_send(actor=request.user, cycle=c)} raters.")
    return redirect("leadership:cycle", trust_code=trust.code, pk=c.pk)


def _report(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, FeedbackCycle, dict[str, Any]]:
    trust, c = _cycle(request, trust_code, pk)
    read(request.user, Perm.VIEW_360_REPORT, c, why="360 report read")
    return trust, c, {"current_trust": trust, "section": SECTION, **presenters.report(c)}


@require_safe
def cycle_report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, _, context = _report(request, trust_code, pk)
    return render_page(request, "leadership/report.jinja", trust, **context)


@require_safe
def cycle_report_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, c, context = _report(request, trust_code, pk)
    return pdf_response(
        request, "leadership/report_pdf.jinja", context, f"360-report-{c.pk}.pdf", trust=trust, confidential=True
    )
