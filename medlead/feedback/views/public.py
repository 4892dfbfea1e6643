"""The public pages: a colleague's private link, and the patient page (a code from a card, typed or from its QR
code). No account; nothing stored is ever shown (no answers, no counts, no names beyond the doctor's and the
trust's that a patient needs to answer). Every code that cannot be used, unknown, used, closed or mistyped, gets the
same page and the same words, so codes cannot be probed; attempts are counted per client address."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from medlead.core.dates import today
from medlead.feedback import ratelimit, services, tokens
from medlead.feedback.forms import USE_ONCE_MESSAGE, AnswersForm, CodeForm
from medlead.feedback.models import ExerciseStatus, Invitation, PatientCard

LIMITED = "Too many codes have been tried from this connection. Please wait 15 minutes and try again."


@require_http_methods(["GET", "HEAD", "POST"])
def colleague(request: HttpRequest, token: str) -> HttpResponse:
    parsed = tokens.read(token)
    day = today()
    invitation = (
        Invitation.objects.select_related("exercise__doctor", "exercise__trust", "exercise__colleague_questionnaire")
        .filter(pk=parsed[0], nonce=parsed[1], used_at__isnull=True)
        .first()
        if parsed
        else None
    )
    e = invitation.exercise if invitation else None
    if invitation is None or e is None or e.status != ExerciseStatus.OPEN or not e.opens_on <= day <= e.closes_on:
        return render(request, "feedback/link_unusable.jinja", status=404)
    form = AnswersForm(
        request.POST if request.method == "POST" else None, questionnaire=e.colleague_questionnaire, colleague=True
    )
    if request.method == "POST" and form.is_valid():
        saved = services.colleague_answer(
            invitation_id=invitation.pk,
            nonce=invitation.nonce,
            role=form.cleaned_data["role"],
            values=form.values(),
            comment=form.cleaned_data.get("comment", ""),
            today=day,
        )
        if not saved:
            return render(request, "feedback/link_unusable.jinja", status=404)
        return render(request, "feedback/thanks.jinja", {"patient": False})
    return render(
        request,
        "feedback/answer.jinja",
        {
            "form": form,
            "questionnaire": e.colleague_questionnaire,
            "doctor": e.doctor,
            "trust": e.trust,
            "e": e,
            "patient": False,
        },
    )


def _code_page(request: HttpRequest, form: CodeForm, status: int = 200, message: str = "") -> HttpResponse:
    return render(request, "feedback/patient_code.jinja", {"form": form, "message": message}, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def patient_start(request: HttpRequest) -> HttpResponse:
    """Type the code on your card."""
    if request.method != "POST":
        return _code_page(request, CodeForm())
    if not ratelimit.attempt(request):
        return _code_page(request, CodeForm(), status=429, message=LIMITED)
    form = CodeForm(request.POST)
    if not form.is_valid():
        return _code_page(request, form)
    return redirect("feedback:patient", code=form.cleaned_data["code"])


def _usable(code: str) -> PatientCard | None:
    day = today()
    card = (
        PatientCard.objects.select_related("exercise__doctor", "exercise__trust", "exercise__patient_questionnaire")
        .filter(code=code, used_at__isnull=True, printed_at__isnull=False)
        .first()
    )
    if card is None:
        return None
    e = card.exercise
    if e.patient_questionnaire is None or e.status != ExerciseStatus.OPEN or not e.opens_on <= day <= e.closes_on:
        return None
    return card


@require_http_methods(["GET", "HEAD", "POST"])
def patient(request: HttpRequest, code: str) -> HttpResponse:
    """The questionnaire for the code (from the QR code or the code page); a code that cannot be used gets the code
    page with the one message."""
    if not ratelimit.attempt(request):
        return _code_page(request, CodeForm(), status=429, message=LIMITED)
    checked = CodeForm({"code": code})
    card = _usable(checked.cleaned_data["code"]) if checked.is_valid() else None
    if card is None:
        return _code_page(request, CodeForm(), message=USE_ONCE_MESSAGE)
    e = card.exercise
    assert e.patient_questionnaire is not None
    form = AnswersForm(
        request.POST if request.method == "POST" else None, questionnaire=e.patient_questionnaire, colleague=False
    )
    if request.method == "POST" and form.is_valid():
        saved = services.patient_answer(
            code=card.code, values=form.values(), comment=form.cleaned_data.get("comment", ""), today=today()
        )
        if not saved:
            return _code_page(request, CodeForm(), message=USE_ONCE_MESSAGE)
        return render(request, "feedback/thanks.jinja", {"patient": True})
    return render(
        request,
        "feedback/answer.jinja",
        {
            "form": form,
            "questionnaire": e.patient_questionnaire,
            "doctor": e.doctor,
            "trust": e.trust,
            "e": e,
            "patient": True,
        },
    )
