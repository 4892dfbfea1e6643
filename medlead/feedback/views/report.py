"""The released feedback report (issue 33): the page and its PDF, read by the doctor, the facilitator (from the
exercise's close) and the appraiser of the appraisal the reflection went into; every read audited. The doctor's
reflection, which becomes supporting information in their next appraisal."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.pdf import pdf_response
from medlead.core.policy import Perm, can, read, require, require_known
from medlead.feedback import release as service
from medlead.feedback import report as pure
from medlead.feedback.models import Exercise
from medlead.feedback.report_forms import ReflectionForm
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

SECTION = "appraisal"
READERS = (Perm.VIEW_FEEDBACK_REPORT, Perm.VIEW_FEEDBACK_EXERCISE)


def find(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Exercise]:
    """The exercise, 404 unless the user may see it or its report (its existence is itself confidential)."""
    trust = trust_for(request.user, trust_code)
    exercise = get_object_or_404(
        Exercise.objects.select_related(
            "trust",
            "doctor__specialty",
            "facilitator",
            "released_by__person",
            "colleague_questionnaire",
            "patient_questionnaire",
            "supporting_info__appraisal",
            "patient_supporting_info__appraisal",
        ),
        trust=trust,
        pk=pk,
    )
    require_known(request.user, exercise, *READERS)
    return trust, exercise


def url(name: str, exercise: Exercise) -> str:
    return reverse(f"feedback:{name}", kwargs={"trust_code": exercise.trust.code, "pk": exercise.pk})


def context(request: HttpRequest, trust: Trust, exercise: Exercise) -> dict[str, Any]:
    built = service.build(exercise)
    found, note = service.comparisons(exercise, built)
    r = built.report
    questions = [
        (q, pure.COLLEAGUE if q.questionnaire_id == exercise.colleague_questionnaire_id else pure.PATIENT)
        for q in built.questions
    ]
    si = exercise.supporting_info
    released_by = exercise.released_by
    return {
        "current_trust": trust,
        "section": SECTION,
        "e": exercise,
        "r": r,
        "colleague_groups": [g for g in r.groups if g.kind == pure.COLLEAGUE],
        "patient_groups": [g for g in r.groups if g.kind == pure.PATIENT],
        "colleague_questions": [q for q, k in questions if k == pure.COLLEAGUE],
        "patient_questions": [q for q, k in questions if k == pure.PATIENT],
        "comparisons": found,
        "comparison_note": note,
        "labels": pure.LABELS,
        "released_by": (
            released_by.person.display_name if released_by is not None and released_by.person else str(released_by)
        )
        if released_by is not None
        else (exercise.facilitator.display_name if exercise.facilitator else ""),
        "appraisal": si.appraisal if si is not None else None,
        "may_reflect": can(request.user, Perm.REFLECT_ON_FEEDBACK, exercise),
        "is_doctor": getattr(request.user, "person_id", None) == exercise.doctor_id,
    }


def _page(request: HttpRequest, trust: Trust, exercise: Exercise, form: ReflectionForm | None = None) -> HttpResponse:
    ctx = context(request, trust, exercise)
    if ctx["may_reflect"]:
        ctx["form"] = form or ReflectionForm(initial={"reflection": exercise.reflection})
    return render(request, "feedback/report.jinja", ctx)


@require_safe
def report(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = find(request, trust_code, pk)
    read(request.user, Perm.VIEW_FEEDBACK_REPORT, exercise, why="feedback report read")
    return _page(request, trust, exercise)


@require_safe
def report_pdf(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = find(request, trust_code, pk)
    read(request.user, Perm.VIEW_FEEDBACK_REPORT, exercise, why="feedback report read (PDF)")
    return pdf_response(
        request,
        "feedback/report_pdf.jinja",
        context(request, trust, exercise),
        f"feedback-report-{exercise.pk}.pdf",
        trust=trust,
        confidential=True,
    )


@require_POST
def reflect(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = find(request, trust_code, pk)
    require(request.user, Perm.REFLECT_ON_FEEDBACK, exercise)

    def save(data: dict[str, Any]) -> Exercise:
        return service.reflect(actor=request.user, exercise=exercise, reflection=data["reflection"], day=dates.today())

    def saved(result: Exercise) -> str:
        si = result.supporting_info
        where = f"your {si.appraisal.year_label} appraisal" if si is not None else "your next appraisal"
        return f"Your reflection is saved, with the report, as supporting information in {where}."

    return act(
        request,
        ReflectionForm(request.POST),
        save=save,
        done=lambda _: redirect(url("report", exercise) + "#reflection"),
        page=lambda form: _page(request, trust, exercise, form),  # type: ignore[arg-type]
        saved=saved,
    )
