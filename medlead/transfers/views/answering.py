"""The previous responsible officer's pages: the national form (with what medlead holds about the doctor in their
trust filled in, to check), saving a draft, checking the answers and sending it; or saying the doctor was not
connected to them. Each decision is checked, then confirmed with what happens next."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from medlead.core import page_actions
from medlead.core.dates import today
from medlead.core.policy import Perm, can, read
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation.models import Trust
from medlead.transfers import content, presenters, selectors, services
from medlead.transfers.forms import ReasonForm, TransferForm
from medlead.transfers.models import InformationTransfer
from medlead.transfers.views.common import SECTION, asked_of_here, load, render_page

WHY = "information transfer being completed"


def _completing(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, InformationTransfer] | HttpResponse:
    """The transfer for its previous responsible officer to complete, or (once it is not waiting) its page."""
    trust, t = load(request, trust_code, pk)
    asked_of_here(trust, t)
    if not t.waiting:
        return redirect(presenters.url("transfer", trust, t))
    if not can(request.user, Perm.COMPLETE_INFORMATION_TRANSFER, t):
        raise Http404  # seen, but not theirs to act on: still no hint of what may be done
    return trust, t


def _form(t: InformationTransfer, data: Any = None, *, draft: bool = False) -> TransferForm:
    return TransferForm(data, version=content.named(t.form), today=today(), draft=draft)


def _page(request: HttpRequest, trust: Trust, t: InformationTransfer, form: TransferForm) -> HttpResponse:
    prefilled = not t.answers and not form.is_bound
    return render_page(
        request,
        "transfers/complete.jinja",
        trust,
        t=t,
        form=form,
        version=form.version,
        prefilled=prefilled and bool(form.initial),
        record_url=presenters.url("transfer", trust, t),
    )


def complete(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The form (a draft as saved, or medlead's facts filled in); a post is checked, then shown for checking."""
    found = _completing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    read(request.user, Perm.COMPLETE_INFORMATION_TRANSFER, t, why=WHY)
    if request.method != "POST":
        form = _form(t)
        form.initial = dict(t.answers) or (
            selectors.facts_held(t.previous_person) if can(request.user, Perm.VIEW_REVALIDATION, trust) else {}
        )
        return _page(request, trust, t, form)
    form = _form(t, request.POST)
    if changing(request) or not form.is_valid():
        return _page(request, trust, t, form)
    answered = content.answered(form.version, services.kept(t, form.cleaned_data))
    rows = [row for _, section_rows in answered for row in section_rows]
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="send the information transfer",
        caption=f"{t.doctor.display_name}: the information transfer {t.trust.name} asked for",
        facts=[
            ("Doctor", f"{t.doctor.display_name} (GMC number {t.doctor.gmc_number})"),
            ("Sent to", f"The responsible officer of {t.trust.name}"),
        ],
        rows=rows,
        form=form,
        confirm_url=presenters.url("send", trust, t),
        change_url=presenters.url("complete", trust, t),
        change_posts=True,
        says=[
            f"The responsible officer of {t.trust.name} can read it at once, and only they can. You then see only that "
            "it was sent, and when: you cannot change it.",
            f"{t.doctor.display_name} is told by email that it was sent, never what it says.",
        ],
        button="Confirm and send it",
    )


@require_POST
def save(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Save the answers so far as a draft, to come back to (nothing is sent)."""
    found = _completing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    return page_actions.act(
        request,
        _form(t, request.POST, draft=True),
        save=lambda data: services.draft_save(actor=request.user, transfer=t, answers=data),
        done=lambda _: redirect(presenters.url("transfer", trust, t)),
        page=lambda f: _page(request, trust, t, f),  # type: ignore[arg-type]
        saved="Your answers are saved as a draft. Nothing has been sent.",
    )


@require_POST
def send(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmed answers sent: the confirmation says what happens next."""
    found = _completing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    form = _form(t, request.POST)
    if form.is_valid():
        try:
            sent = services.send(actor=request.user, transfer=t, answers=form.cleaned_data, today=today())
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="Information transfer sent",
                summary=f"{sent.doctor.display_name}'s information transfer was sent to the responsible officer of "
                f"{sent.trust.name} on {presenters.on(sent.sent_on)}.",
                next_steps=[
                    f"The responsible officer of {sent.trust.name} can now read it; nobody else can, you included.",
                    f"{sent.doctor.display_name} is told by email that it was sent, never what it says.",
                    f"If something of note about the doctor comes to light later, tell the responsible officer of "
                    f"{sent.trust.name} directly.",
                ],
                links=[
                    (presenters.url("transfer", trust, sent), "Back to the information transfer"),
                    (presenters.url("list", trust), "Information transfers"),
                ],
            )
    return _page(request, trust, t, form)


def _reason(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        label="Why was the doctor not connected to you?",
        help_text="For example, where they were connected instead, or that you hold no record of them. The "
        "responsible officer who asked reads this.",
    )


def not_connected(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The reason, then "Check your answers" (nothing saved yet)."""
    found = _completing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    form = _reason(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not changing(request) and form.is_valid():
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="say the doctor was not connected to you",
            facts=[
                ("Doctor", f"{t.doctor.display_name} (GMC number {t.doctor.gmc_number})"),
                ("Asked for by", f"{t.trust.name}, on {presenters.on(t.requested_on)}"),
            ],
            rows=[("Reason", form.cleaned_data["reason"])],
            form=form,
            confirm_url=presenters.url("not_connected_confirm", trust, t),
            change_url=presenters.url("not_connected", trust, t),
            change_posts=True,
            says=[
                f"The request is closed with your reason, which the responsible officer of {t.trust.name} reads. Any "
                "draft answers are deleted, and nothing about the doctor is sent."
            ],
            button="Confirm",
        )
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"{t.doctor.display_name} was not connected to {trust.name}",
        lede=f"{t.trust.name} asked for this doctor's information transfer. Say so if the doctor's prescribed "
        "connection was never with your designated body.",
        button="Continue",
        back=(presenters.url("transfer", trust, t), "Back to the information transfer"),
    )


@require_POST
def not_connected_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    found = _completing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    form = _reason(request.POST)
    if form.is_valid():
        try:
            closed = services.not_connected(
                actor=request.user, transfer=t, reason=form.cleaned_data["reason"], today=today()
            )
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="Request declined",
                summary=f"You said {closed.doctor.display_name} was not connected to {trust.name}.",
                next_steps=[
                    f"The responsible officer of {closed.trust.name} sees your reason on the request, and may ask "
                    "the doctor's previous designated body instead."
                ],
                links=[(presenters.url("list", trust), "Information transfers")],
            )
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"{t.doctor.display_name} was not connected to {trust.name}",
        button="Continue",
        back=(presenters.url("transfer", trust, t), "Back to the information transfer"),
    )
