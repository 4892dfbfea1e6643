"""The doctor's pages: their exercises, starting one (checked, then confirmed), the exercise with its live counts,
inviting colleagues, and printing patient cards (a PDF)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import page_actions
from medlead.core.dates import today
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, require
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.feedback import cards as card_codes
from medlead.feedback import selectors, services
from medlead.feedback.forms import CardsForm, InviteForm, StartForm
from medlead.feedback.models import Exercise
from medlead.feedback.views.common import SECTION, load, render_page, url
from medlead.organisation.models import Trust
from medlead.organisation.selectors import own_person, trust_for


@require_safe
def home(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The doctor's own exercises, and the exercises this person runs as facilitator."""
    trust = trust_for(request.user, trust_code)
    person = getattr(request.user, "person", None)
    mine = selectors.exercises_of(trust=trust, doctor=person) if person and person.trust_id == trust.pk else []
    running = selectors.to_run(trust=trust, facilitator_id=person.pk) if person else []
    return render_page(
        request,
        "feedback/home.jinja",
        trust,
        mine=mine,
        running=running,
        may_start=can(request.user, Perm.START_FEEDBACK_EXERCISE, trust) and person is not None,
        may_load_questionnaires=can(request.user, Perm.MANAGE_FEEDBACK_ADMINISTRATORS, trust),
    )


def _start_form(request: HttpRequest, trust: Trust, data: Any = None) -> tuple[StartForm, Any]:
    _, person = own_person(request.user, trust.code)
    return StartForm(data, trust=trust, doctor=person, day=today()), person


def start(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The form, then "Check your answers" (nothing saved yet)."""
    trust = trust_for(request.user, trust_code, Perm.START_FEEDBACK_EXERCISE)
    posting = request.method == "POST" and not changing(request)
    form, _ = _start_form(request, trust, request.POST if request.method == "POST" else None)
    if posting and form.is_valid():
        data = form.cleaned_data
        patient = data["patient_questionnaire"]
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="start your colleague and patient feedback exercise",
            rows=[
                ("Who will run it", data["facilitator"].display_name),
                ("Close date", f"{data['closes_on']:%-d %B %Y}"),
                ("Colleague questionnaire", data["colleague_questionnaire"].name),
                (
                    "Patient questionnaire",
                    patient.name if patient else f"None: {data['no_patient_reason'] or 'no reason given'}",
                ),
            ],
            form=form,
            confirm_url=reverse("feedback:start_confirm", kwargs={"trust_code": trust.code}),
            change_url=reverse("feedback:start", kwargs={"trust_code": trust.code}),
            change_posts=True,
            says=[
                f"{data['facilitator'].display_name} runs the exercise: they collect and collate the answers.",
                "You can then invite colleagues and print patient cards. You see how many have answered, never who "
                "answered or any single answer.",
            ],
            button="Start the exercise",
        )
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Start a colleague and patient feedback exercise",
        lede="Every licensed doctor collects feedback from colleagues and patients at least once in each five-year "
        "revalidation cycle, and reflects on it at appraisal.",
        button="Continue",
    )


@require_POST
def start_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    trust = trust_for(request.user, trust_code, Perm.START_FEEDBACK_EXERCISE)
    form, person = _start_form(request, trust, request.POST)
    if form.is_valid():
        try:
            exercise = services.exercise_start(actor=request.user, doctor=person, today=today(), **form.cleaned_data)
        except ValidationError as exc:
            page_actions._add(form, exc)
        else:
            return done_page(
                request,
                trust=trust,
                section=SECTION,
                title="Your feedback exercise has started",
                summary=f"It closes on {exercise.closes_on:%-d %B %Y}.",
                next_steps=[
                    "Invite colleagues: anyone you work with, not only doctors. Each gets a private link by email.",
                    "Print patient cards for your clinics: each has its own code and QR code that one patient uses "
                    "once.",
                    f"{exercise.facilitator.display_name if exercise.facilitator else 'Your facilitator'} collects "
                    "the answers and releases your report after the close date.",
                ],
                links=[(url("exercise", trust, exercise), "Go to your exercise")],
            )
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Start a colleague and patient feedback exercise",
        button="Continue",
    )


def _page(
    request: HttpRequest, trust: Trust, exercise: Exercise, invite_form: InviteForm | None = None
) -> HttpResponse:
    counts = selectors.counts(exercise)
    doctor = can(request.user, Perm.INVITE_COLLEAGUES, exercise) or exercise.doctor_id == getattr(
        request.user, "person_id", None
    )
    return render_page(
        request,
        "feedback/exercise.jinja",
        trust,
        e=exercise,
        counts=counts,
        invitations=selectors.invitations(exercise),
        invite_form=invite_form or InviteForm(trust=trust),
        may_invite=can(request.user, Perm.INVITE_COLLEAGUES, exercise),
        may_print=can(request.user, Perm.PRINT_PATIENT_CARDS, exercise) and exercise.patient_questionnaire_id,
        may_manage=can(request.user, Perm.MANAGE_FEEDBACK_EXERCISE, exercise),
        may_read_report=can(request.user, Perm.VIEW_FEEDBACK_REPORT, exercise),
        is_doctor=doctor,
        cards_form=CardsForm(),
    )


@require_safe
def exercise(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, e = load(request, trust_code, pk)
    return _page(request, trust, e)


@require_POST
def invite(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, e = load(request, trust_code, pk)
    require(request.user, Perm.INVITE_COLLEAGUES, e)
    form = InviteForm(request.POST, trust=trust)
    return page_actions.act(
        request,
        form,
        save=lambda _: services.colleagues_invite(actor=request.user, exercise=e, invitees=[form.invitee()]),
        done=lambda _: redirect(url("exercise", trust, e)),
        page=lambda f: _page(request, trust, e, invite_form=f),  # type: ignore[arg-type]
        saved=lambda made: f"Invitation sent to {made[0].name}.",
    )


def cards(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """How many cards to print; the cards are made, then the PDF is downloaded."""
    trust, e = load(request, trust_code, pk)
    require(request.user, Perm.PRINT_PATIENT_CARDS, e)
    form = CardsForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.cards_print(actor=request.user, exercise=e, count=form.cleaned_data["count"])
            return redirect(url("cards_pdf", trust, e))
        except ValidationError as exc:
            page_actions._add(form, exc)
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Print patient cards",
        lede="Hand one card to each patient after their appointment. The card names you and the trust, and has its "
        "own code and QR code: one patient can use it once, on a phone or a computer, with no account.",
        button="Make the cards",
        back=(url("exercise", trust, e), "Back to the exercise"),
    )


@require_safe
def cards_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The last printing's unused cards as a PDF: each names the trust, the doctor and the period, with its code and
    QR code."""
    trust, e = load(request, trust_code, pk)
    require(request.user, Perm.PRINT_PATIENT_CARDS, e)
    printed = selectors.last_printed(e)
    rows = [{"code": card_codes.spaced(c.code), "qr": card_codes.qr_svg(card_codes.address(c))} for c in printed]
    return pdf_response(
        request,
        "feedback/cards_pdf.jinja",
        {"e": e, "cards": rows, "start_address": card_codes.start_address()},
        f"patient-cards-{e.pk}.pdf",
        trust=trust,
    )
