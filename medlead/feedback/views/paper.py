"""The facilitator enters a paper or large-print response (channel paper), a patient's against an unused card's
code or without one."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect

from medlead.core import page_actions
from medlead.core.dates import today
from medlead.core.policy import Perm, require
from medlead.core.views import form_page
from medlead.feedback import services
from medlead.feedback.forms import PaperForm
from medlead.feedback.models import QuestionnaireKind
from medlead.feedback.views.common import SECTION, load, url


def paper(request: HttpRequest, trust_code: str, pk: int, kind: str) -> HttpResponse:
    trust, e = load(request, trust_code, pk)
    require(request.user, Perm.MANAGE_FEEDBACK_EXERCISE, e)
    if kind not in QuestionnaireKind.values or (kind == QuestionnaireKind.PATIENT and not e.patient_questionnaire_id):
        raise Http404
    form = PaperForm(request.POST if request.method == "POST" else None, exercise=e, kind=kind)
    if request.method == "POST":
        return page_actions.act(
            request,
            form,
            save=lambda data: services.paper_enter(
                actor=request.user,
                exercise=e,
                kind=kind,
                values=form.values(),
                comment=data.get("comment", ""),
                role=data.get("role", ""),
                card=data.get("card"),
                today=today(),
            ),
            done=lambda _: redirect(url("exercise", trust, e)),
            page=lambda f: _page(request, trust, e, f, kind),  # type: ignore[arg-type]
            saved="The paper response is entered.",
        )
    return _page(request, trust, e, form, kind)


def _page(request: HttpRequest, trust: object, e: object, form: PaperForm, kind: str) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"Enter a paper {'patient' if kind == QuestionnaireKind.PATIENT else 'colleague'} response",
        lede="Type the answers as written on the paper or large-print questionnaire.",
        button="Enter the response",
        back=(url("exercise", trust, e), "Back to the exercise"),  # type: ignore[arg-type]
    )
