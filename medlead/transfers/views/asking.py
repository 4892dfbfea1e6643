"""The asking trust's responsible officer's pages: which doctor has joined, then their previous designated body
(the trusts holding a record with the doctor's GMC number come first), checked and confirmed; and withdrawing a
request that still waits, checked and confirmed."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_POST

from medlead.core import page_actions
from medlead.core.dates import today
from medlead.core.policy import Perm, can, person_id
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for
from medlead.transfers import presenters, services
from medlead.transfers.forms import DoctorQuery, ReasonForm, RequestForm
from medlead.transfers.models import InformationTransfer
from medlead.transfers.views.common import SECTION, asked_by_here, load, render_page


def _request_form(request: HttpRequest, trust: Trust, data: Any = None, doctor: Any = None) -> RequestForm:
    """The request's form, about the doctor given or (in a post) the one it names, once it is valid."""
    form = RequestForm(
        data, trust=trust, actor_person_id=person_id(request.user), initial={"doctor": doctor.pk} if doctor else None
    )
    if doctor is None and form.is_bound:
        form.is_valid()
        doctor = form.cleaned_data.get("doctor")
    return form.about(doctor)


def _step_two(request: HttpRequest, trust: Trust, form: RequestForm) -> HttpResponse:
    return render_page(request, "transfers/new.jinja", trust, form=form, doctor=form.chosen, linked=form.linked)


def new(request: HttpRequest, trust_code: str) -> HttpResponse:
    """First which doctor (asked in the address), then their previous designated body; a post is checked, then
    shown for checking (nothing is saved yet)."""
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    if request.method == "POST":
        form = _request_form(request, trust, request.POST)
        if changing(request) or not form.is_valid():
            return _step_two(request, trust, form)
        data = form.cleaned_data
        problems = services.request_problems(actor=request.user, trust=trust, today=today(), **_asked(data))
        if problems:
            page_actions._add(form, ValidationError(problems))
            return _step_two(request, trust, form)
        doctor, previous = data["doctor"], data["previous_trust"]
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="ask for the information transfer",
            rows=[
                ("Doctor", f"{doctor.display_name} (GMC number {doctor.gmc_number})"),
                ("Their previous designated body", previous.name),
                (f"Joined {trust.name} on", presenters.on(data["joined_on"])),
                ("Note to the previous responsible officer", data["note"] or "None"),
            ],
            form=form,
            confirm_url=presenters.url("new_confirm", trust),
            change_url=presenters.url("new", trust),
            change_posts=True,
            says=[
                f"The responsible officer of {previous.name} sees your request in medlead and completes the national "
                "form there.",
                f"Once they send it, only the responsible officer of {trust.name} can read it. {doctor.display_name} "
                "is told by email when it is sent.",
            ],
            button="Confirm and ask for it",
        )
    query = DoctorQuery(
        request.GET if "doctor" in request.GET else None, trust=trust, actor_person_id=person_id(request.user)
    )
    if query.is_bound and query.is_valid():
        return _step_two(request, trust, _request_form(request, trust, doctor=query.cleaned_data["doctor"]))
    return render_page(request, "transfers/new_doctor.jinja", trust, form=query)


def _asked(data: dict[str, Any]) -> dict[str, Any]:
    return {k: data[k] for k in ("doctor", "previous_trust", "joined_on")}


@require_POST
def new_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.REQUEST_INFORMATION_TRANSFER)
    form = _request_form(request, trust, request.POST)
    if form.is_valid():
        try:
            made = services.request(
                actor=request.user,
                trust=trust,
                note=form.cleaned_data["note"],
                today=today(),
                **_asked(form.cleaned_data),
            )
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="Information transfer asked for",
                summary=f"You asked {made.previous_trust.name} for {made.doctor.display_name}'s information transfer "
                f"on {presenters.on(made.requested_on)}.",
                next_steps=[
                    f'The responsible officer of {made.previous_trust.name} sees your request on their "what needs '
                    'you", completes the national form in medlead and sends it, or tells you the doctor was not '
                    "connected to them.",
                    'When it is sent it is on your "what needs you" to read; only you, the trust\'s responsible '
                    f"officer, can read it. {made.doctor.display_name} is told by email when it is sent.",
                ],
                links=[
                    (presenters.url("transfer", trust, made), "Go to the request"),
                    (presenters.url("list", trust), "Information transfers"),
                ],
            )
    return _step_two(request, trust, form)


def _withdrawing(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, InformationTransfer] | HttpResponse:
    trust, t = load(request, trust_code, pk)
    asked_by_here(trust, t)
    if not t.waiting:
        return redirect(presenters.url("transfer", trust, t))
    if not can(request.user, Perm.WITHDRAW_INFORMATION_TRANSFER, t):
        raise Http404  # seen, but not theirs to act on: still no hint of what may be done
    return trust, t


def _reason(data: Any = None) -> ReasonForm:
    return ReasonForm(
        data,
        label="Why are you withdrawing the request?",
        help_text="For example, you asked the wrong trust. The previous responsible officer reads this.",
    )


def _reason_page(request: HttpRequest, trust: Trust, t: InformationTransfer, form: ReasonForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"Withdraw the request for {t.doctor.display_name}'s information transfer",
        lede=f"You asked {t.previous_trust.name} for it on {presenters.on(t.requested_on)}.",
        button="Continue",
        back=(presenters.url("transfer", trust, t), "Back to the request"),
    )


def withdraw(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The reason, then "Check your answers" (nothing saved yet)."""
    found = _withdrawing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    form = _reason(request.POST if request.method == "POST" else None)
    if request.method == "POST" and not changing(request) and form.is_valid():
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="withdraw the request",
            facts=[
                ("Doctor", f"{t.doctor.display_name} (GMC number {t.doctor.gmc_number})"),
                ("Asked of", f"{t.previous_trust.name}, on {presenters.on(t.requested_on)}"),
            ],
            rows=[("Reason", form.cleaned_data["reason"])],
            form=form,
            confirm_url=presenters.url("withdraw_confirm", trust, t),
            change_url=presenters.url("withdraw", trust, t),
            change_posts=True,
            says=[
                f"The request is closed with your reason, which the responsible officer of {t.previous_trust.name} "
                "reads. Anything they had drafted is deleted and nothing is sent. You can ask again later."
            ],
            button="Confirm and withdraw it",
        )
    return _reason_page(request, trust, t, form)


@require_POST
def withdraw_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    found = _withdrawing(request, trust_code, pk)
    if isinstance(found, HttpResponse):
        return found
    trust, t = found
    form = _reason(request.POST)
    if form.is_valid():
        try:
            closed = services.withdraw(
                actor=request.user, transfer=t, reason=form.cleaned_data["reason"], today=today()
            )
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="Request withdrawn",
                summary=f"You withdrew the request to {closed.previous_trust.name} for {closed.doctor.display_name}'s "
                f"information transfer on {presenters.on(closed.closed_on)}.",
                next_steps=[
                    f"The responsible officer of {closed.previous_trust.name} no longer sees it to complete, and sees "
                    "your reason. You can ask them, or another trust, again at any time."
                ],
                links=[(presenters.url("list", trust), "Information transfers")],
            )
    return _reason_page(request, trust, t, form)
