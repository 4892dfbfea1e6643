"""Two more of the case manager's decisions that count under MHPS (issue 31): the investigation's report and outcome,
and handing the case over to a new case manager. Each is the case page's form, then "Check your answers" (nothing
is saved), then a confirmation saying what happens next. Progress notes on the investigation (the doctor's comments,
an appeal, a date) are saved at once. The outcome is not offered before the report is recorded, nor the hand-over
when nobody else may manage the case; what is missing is listed instead. To anyone but the case manager, every step
is not found (404), like the case itself."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.concerns import presenters, selectors, services
from medlead.concerns.models import Case, Outcome, RoleKind
from medlead.concerns.views.cases import render_case
from medlead.concerns.views.decisions import SECTION, _checked, _day, _managed, _url
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, read
from medlead.core.views import changing, check_page, done_page
from medlead.organisation.selectors import trust_for

# ------------------------------------------------------------------------ the investigation's report and outcome

LABELS = {
    "report": "Report (summary)",
    "report_received_on": "Report received on",
    "report_to_doctor_on": "The doctor received the report on",
    "doctor_comments": "The doctor's comments",
    "outcome": "Outcome",
    "outcome_on": "Outcome decided on",
    "appeal": "Appeal",
}


def _answer(field: str, value: Any) -> str:
    if field == "outcome":
        return str(Outcome(value).label)
    return _day(value) if hasattr(value, "isoformat") else str(value)


def _save_update(request: HttpRequest, case: Case, d: dict[str, Any]) -> Any:
    return services.investigation_update(actor=request.user, case=case, data=d, today=today())


@require_POST
def investigation_update(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """A progress note is saved at once; a report or an outcome goes to "Check your answers" first."""
    trust, case = _managed(request, trust_code, pk)
    form = presenters.action_form("investigation_update", trust=trust, case=case, data=request.POST)
    if form.is_valid() and not changing(request) and not services.investigation_counts(case, form.cleaned_data):
        return act(
            request,
            form,
            save=lambda d: _save_update(request, case, d),
            done=lambda _: redirect(_url("case", trust, case) + "#investigation-update"),
            page=lambda bound: render_case(request, trust, case, ("investigation_update", bound)),
        )

    def check(form: Any) -> HttpResponse:
        d = form.cleaned_data
        inv = case.investigation
        outcome = bool(d.get("outcome"))
        rows = [(LABELS[f], _answer(f, d[f])) for f in services.INVESTIGATION_FIELDS if d.get(f) not in (None, "")]
        if outcome:
            says = [
                "The investigation's outcome is recorded on the case with your name. Only the people named on the "
                "case see it; the audit trail records that it changed, never what it says.",
            ]
        else:
            says = [
                "The investigation's report is recorded on the case with your name, and its timetable shows when the "
                "doctor's comments on its factual content are due.",
            ]
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="record the investigation's outcome" if outcome else "record the investigation's report",
            caption=f"Case {case.pk}: {case.doctor.display_name}",
            facts=[("Doctor", case.doctor.display_name), ("Investigation started", _day(inv.started_on))],
            rows=rows,
            form=form,
            confirm_url=_url("investigation_confirm", trust, case),
            change_url=_url("investigation_update", trust, case),
            says=says,
            button="Record the outcome" if outcome else "Record the report",
            change_posts=True,
        )

    return _checked(
        request,
        trust,
        case,
        "investigation_update",
        lambda d: services.investigation_problems(case=case, data=d, today=today()),
        check,
    )


@require_POST
def investigation_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    form = presenters.action_form("investigation_update", trust=trust, case=case, data=request.POST)
    return act(
        request,
        form,
        save=lambda d: _save_update(request, case, d),
        done=lambda _: redirect(_url("investigation_recorded", trust, case)),
        page=lambda bound: render_case(request, trust, case, ("investigation_update", bound)),
        saved="",
    )


@require_safe
def investigation_recorded(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    inv = getattr(case, "investigation", None)
    if inv is None or not (inv.report or inv.outcome):
        return redirect(_url("case", trust, case))
    read(request.user, Perm.VIEW_CASE, case, why="case investigation confirmed")
    steps: list[str] = []
    if inv.outcome:
        title = "Investigation's outcome recorded"
        summary = f"{inv.get_outcome_display()}" + (f", decided on {_day(inv.outcome_on)}." if inv.outcome_on else ".")
        steps.append(
            "medlead does not email the doctor: tell them the outcome in writing, and record your letter in the "
            "evidence log."
        )
        still = [text for text, _, _, done in services.close_missing(case) if not done]
        steps.append(
            "Close the case when it is done. Before it can close: " + "; ".join(still) + "."
            if still
            else "Everything closing the case needs is recorded: close it from the case page when it is done."
        )
    else:
        title = "Investigation's report recorded"
        summary = "The report is recorded" + (
            f", received on {_day(inv.report_received_on)}." if inv.report_received_on else "."
        )
        appointed = selectors.investigator_appointed_on(case)
        if appointed is not None:
            plan = selectors.timetable(trust=trust, appointed_on=appointed, report_to_doctor_on=inv.report_to_doctor_on)
            if plan.comments_due is not None:
                steps.append(
                    f"The doctor's comments on its factual content are due by {_day(plan.comments_due)}, "
                    f"{plan.comments_days} days from the day they received it."
                )
            else:
                steps.append(
                    "Give the doctor the report and record the day they received it: their comments on its factual "
                    f"content are due within {plan.comments_days} days of that day."
                )
        steps.append("Then record the investigation's outcome on the case page.")
        steps.append("medlead does not email the doctor or anyone else named on the case.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=title,
        summary=summary,
        next_steps=steps,
        links=[(_url("case", trust, case), "Back to the case")],
    )


# ------------------------------------------------------------------------------------------ the hand-over

HANDED = "concerns_handed_over"  # the session's note of the last hand-over, for its confirmation page


@require_POST
def hand_over(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)

    def check(form: Any) -> HttpResponse:
        person = form.cleaned_data["person"]
        current = ", ".join(
            r.person.display_name for r in case.roles.filter(role=RoleKind.CASE_MANAGER).select_related("person")
        )
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="hand the case over",
            caption=f"Case {case.pk}: {case.doctor.display_name}",
            facts=[("Doctor", case.doctor.display_name), ("Case manager now", current)],
            rows=[("The new case manager", person.display_name)],
            form=form,
            confirm_url=_url("hand_over_confirm", trust, case),
            change_url=_url("hand_over", trust, case),
            says=[
                f"{person.display_name} becomes the case manager from today, and is told by email that they have a "
                "task on a case in medlead (the email says nothing about the case).",
                "You are no longer named on the case and can no longer open it. The hand-over is in the case's "
                "history.",
            ],
            button="Hand the case over",
            change_posts=True,
        )

    return _checked(
        request,
        trust,
        case,
        "hand_over",
        lambda d: {"person": msg} if (msg := services.hand_over_missing(case)) else {},
        check,
    )


@require_POST
def hand_over_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    form = presenters.action_form("hand_over", trust=trust, case=case, data=request.POST)

    def save(d: dict[str, Any]) -> Any:
        successor = services.case_manager_hand_over(actor=request.user, case=case, person=d["person"], today=today())
        request.session[HANDED] = {"case": case.pk, "to": successor.person.display_name}
        return successor

    return act(
        request,
        form,
        save=save,
        done=lambda _: redirect("concerns:handed_over", trust_code=trust.code),
        page=lambda bound: render_case(request, trust, case, ("hand_over", bound)),
        saved="",
    )


@require_safe
def handed_over(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The confirmation of a hand-over. The old case manager can no longer read the case, so the page says only
    what their own session noted: the case's number and the new case manager's name."""
    trust = trust_for(request.user, trust_code)
    note = request.session.get(HANDED)
    if not isinstance(note, dict):
        messages.info(request, "There is no hand-over to show.")
        return redirect("concerns:cases", trust_code=trust.code)
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Case handed over",
        summary=f"Case {note['case']} is handed over to {note['to']}.",
        next_steps=[
            f"{note['to']} is told by email that they have a task on a case in medlead. The case, its reviews and its "
            "reports now reach their list of what needs you.",
            "You are no longer named on the case and no longer see it.",
        ],
        links=[(reverse("concerns:cases", kwargs={"trust_code": trust.code}), "Your cases")],
    )
