"""The facilitator's pages (issue 33): the exercise's running state, closing it (checked), reading each comment
(released as written or edited, or withheld) and releasing the report (checked, then what happens next). The
doctor, who may see the exercise, is refused these with a 403; anyone else gets 404."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, require
from medlead.core.views import check_page, done_page
from medlead.feedback import release as service
from medlead.feedback.models import CommentState, Exercise, ExerciseStatus, QuestionnaireKind, Response
from medlead.feedback.report_forms import CommentForm, ConfirmForm
from medlead.feedback.views.report import SECTION, find, url
from medlead.organisation.models import Trust


def _counts(exercise: Exercise) -> dict[str, int]:
    rows = Response.objects.filter(exercise=exercise).order_by().values_list("kind", "comment_state")
    out = {"colleague": 0, "patient": 0, "awaiting": 0, "comments": 0}
    for kind, state in rows:
        out["colleague" if kind == QuestionnaireKind.COLLEAGUE else "patient"] += 1
        out["comments"] += state != CommentState.NONE
        out["awaiting"] += state == CommentState.AWAITING
    return out


def _run_page(
    request: HttpRequest,
    trust: Trust,
    exercise: Exercise,
    bound: tuple[int, forms.Form] | None = None,
    errors: list[str] | None = None,
) -> HttpResponse:
    comments = service.comments_to_read(exercise)
    comment_forms: list[tuple[Response, forms.Form]] = []
    for r in comments:
        if bound is not None and bound[0] == r.pk:
            comment_forms.append((r, bound[1]))
        else:
            initial: dict[str, Any] = {}
            if r.comment_state == CommentState.RELEASED:
                initial = {"decision": "release", "text": r.released_comment}
            elif r.comment_state == CommentState.WITHHELD:
                initial = {"decision": "withhold"}
            comment_forms.append((r, CommentForm(initial=initial, prefix=f"c{r.pk}")))
    return render(
        request,
        "feedback/release.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "e": exercise,
            "counts": _counts(exercise),
            "comment_forms": comment_forms,
            "editable": exercise.status != ExerciseStatus.RELEASED,
            "missing": service.release_missing(exercise),
            "may_close": exercise.status == ExerciseStatus.OPEN,
            "may_release": can(request.user, Perm.RELEASE_FEEDBACK_REPORT, exercise),
            "may_read_report": can(request.user, Perm.VIEW_FEEDBACK_REPORT, exercise),
            "errors": errors or [],
        },
    )


def _managed(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Exercise]:
    trust, exercise = find(request, trust_code, pk)
    require(request.user, Perm.MANAGE_FEEDBACK_EXERCISE, exercise)
    return trust, exercise


@require_safe
def run(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    return _run_page(request, trust, exercise)


@require_safe
def close_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    if exercise.status != ExerciseStatus.OPEN:
        return redirect(url("run", exercise))
    counts = _counts(exercise)
    form = ConfirmForm({"confirm": "yes"})
    form.is_valid()
    rec_c = exercise.colleague_questionnaire.recommended_responses
    rows = [
        ("Colleagues who answered", f"{counts['colleague']} (the questionnaire recommends {rec_c}; not required)"),
    ]
    if exercise.patient_questionnaire is not None:
        rec_p = exercise.patient_questionnaire.recommended_responses
        rows.append(
            ("Patients who answered", f"{counts['patient']} (the questionnaire recommends {rec_p}; not required)")
        )
    rows.append(("Closing date", f"{exercise.closes_on:%-d %B %Y}"))
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="close this feedback exercise",
        caption=f"Colleague and patient feedback: {exercise.doctor.display_name}",
        rows=rows,
        form=form,
        confirm_url=url("close", exercise),
        change_url=url("run", exercise),
        change_text="Back to the exercise",
        says=[
            "Nobody else can answer: colleagues' links and patients' card codes will say it has closed.",
            "You then read each comment for anything that could identify someone, and release the report to the "
            "doctor. The doctor cannot see the report until you release it.",
        ],
        button="Close the exercise",
    )


@require_POST
def close(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    if exercise.status != ExerciseStatus.OPEN:
        return redirect(url("run", exercise))  # a second click: already closed
    return act(
        request,
        ConfirmForm(request.POST),
        save=lambda _: service.exercise_close(actor=request.user, exercise=exercise),
        done=lambda _: redirect(url("run", exercise)),
        page=lambda form: _run_page(
            request,
            trust,
            exercise,
            errors=[str(e) for e in form.non_field_errors()]
            or ["The confirmation was not understood. Nothing was changed."],
        ),
        saved="The exercise is closed. Read the comments, then release the report.",
    )


@require_POST
def comment(request: HttpRequest, trust_code: str, pk: int, response_pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    response = get_object_or_404(Response.objects.select_related("exercise"), exercise=exercise, pk=response_pk)
    form = CommentForm(request.POST, prefix=f"c{response.pk}")
    return act(
        request,
        form,
        save=lambda d: service.comment_decide(
            actor=request.user, response=response, release=d["decision"] == "release", text=d["text"]
        ),
        done=lambda _: redirect(url("run", exercise) + "#comments"),
        page=lambda f: _run_page(request, trust, exercise, bound=(response.pk, f)),
        saved=lambda r: "Comment released." if r.comment_state == CommentState.RELEASED else "Comment withheld.",
    )


@require_safe
def release_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    if exercise.status == ExerciseStatus.RELEASED:
        return redirect(url("released", exercise))
    if not can(request.user, Perm.RELEASE_FEEDBACK_REPORT, exercise) or not all(
        done for _, done in service.release_missing(exercise)
    ):
        return render(
            request,
            "feedback/release_cannot.jinja",
            {"current_trust": trust, "section": SECTION, "e": exercise, "missing": service.release_missing(exercise)},
        )
    counts = _counts(exercise)
    built = service.build(exercise)
    shown = [g.label for g in built.report.groups]
    form = ConfirmForm({"confirm": "yes"})
    form.is_valid()
    released = sum(1 for r in service.comments_to_read(exercise) if r.comment_state == CommentState.RELEASED)
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="release this feedback report",
        caption=f"Colleague and patient feedback: {exercise.doctor.display_name}",
        rows=[
            ("Answers", f"{counts['colleague']} colleagues, {counts['patient']} patients"),
            ("Groups shown", ", ".join(shown) if shown else "None: too few answers in every group"),
            ("Comments", f"{released} released of {counts['comments']}"),
            ("Anonymity", f"No figure rests on fewer than {built.report.threshold} people"),
        ],
        form=form,
        confirm_url=url("release", exercise),
        change_url=url("run", exercise),
        change_text="Back to the exercise",
        says=[
            f"{exercise.doctor.display_name} is told by email that the report is ready, and can read it, download "
            "it and write their reflection.",
            "The report's figures are kept for the trust's comparisons between doctors of the same grade and "
            "specialty; the comments cannot be changed after this.",
        ],
        button="Release the report to the doctor",
    )


@require_POST
def release_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    if exercise.status == ExerciseStatus.RELEASED:
        return redirect(url("released", exercise))
    form = ConfirmForm(request.POST)
    if not form.is_valid():
        return _run_page(
            request, trust, exercise, errors=["The confirmation was not understood. Nothing was released."]
        )
    try:
        service.report_release(actor=request.user, exercise=exercise)
    except ValidationError as exc:
        return _run_page(request, trust, exercise, errors=exc.messages)
    return redirect(url("released", exercise))


@require_safe
def released(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, exercise = _managed(request, trust_code, pk)
    if exercise.status != ExerciseStatus.RELEASED:
        return redirect(url("run", exercise))
    name = exercise.doctor.display_name
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Report released to the doctor",
        summary=f"{name}'s colleague and patient feedback report is released.",
        next_steps=[
            f"{name} is told by email, and can now read the report and download it as a PDF.",
            f"{name} writes a reflection on it; once saved, it goes into their next appraisal as supporting "
            "information, with the report, for them and their appraiser to discuss.",
            "The responsible officer sees that this doctor's feedback is done for this revalidation cycle.",
        ],
        links=[(url("report", exercise), "Read the released report"), (url("run", exercise), "Back to the exercise")],
    )
