"""The case manager's decisions that count under MHPS (issue 31): an exclusion or restriction, and the decision on
the case. Each is the form on the case page, then "Check your answers" (nothing is saved: the answers are checked
against MHPS's limits and travel as hidden fields), then a confirmation saying what happens next. A formal
exclusion is not offered before Practitioner Performance Advice is recorded. To anyone but the case manager, every
step is not found (404), like the case itself."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.concerns import presenters, selectors, services
from medlead.concerns.models import Case, MeasureKind
from medlead.concerns.views.cases import find_case, render_case
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, can, read
from medlead.core.views import changing, check_page, done_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

SECTION = "concerns"


def _managed(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Case]:
    trust = trust_for(request.user, trust_code)
    case = find_case(request, trust, pk)
    if not can(request.user, Perm.MANAGE_CASE, case):
        raise Http404  # the case is seen, but acting on it is not: still no hint of what may be done
    return trust, case


def _day(d: Any) -> str:
    return f"{d:%-d %B %Y}"


def _url(name: str, trust: Trust, case: Case, **kwargs: Any) -> str:
    return reverse(f"concerns:{name}", kwargs={"trust_code": trust.code, "pk": case.pk, **kwargs})


def _checked(request: HttpRequest, trust: Trust, case: Case, name: str, problems: Any, check: Any) -> HttpResponse:
    """The posted answers to ``name``'s form: the case page again with the errors (the form's, then MHPS's), or,
    when the answers can be recorded, the check page ``check(form)``. Nothing is saved either way."""
    form = presenters.action_form(name, trust=trust, case=case, data=request.POST)
    if not form.is_valid() or changing(request):  # "Change your answers": the form again, as answered
        return render_case(request, trust, case, (name, form))
    for field, message in problems(form.cleaned_data).items():
        form.add_error(field if field in form.fields else None, message)
    if form.errors:
        return render_case(request, trust, case, (name, form))
    read(request.user, Perm.VIEW_CASE, case, why="case decision checked")
    return check(form)


# ------------------------------------------------------------------------------------ exclusion or restriction


@require_POST
def measure_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)

    def check(form: Any) -> HttpResponse:
        d = form.cleaned_data
        kind = MeasureKind(d["kind"])
        days = (d["review_by"] - d["starts_on"]).days
        limit = services.measure_limit_days(case, kind, d["starts_on"])
        exclusion = kind != MeasureKind.RESTRICTION
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing=f"record this {kind.label.lower()}",
            caption=f"Case {case.pk}: {case.doctor.display_name}",
            rows=[
                ("Doctor", case.doctor.display_name),
                ("What", kind.label),
                ("Starts on", _day(d["starts_on"])),
                (
                    "Review by",
                    f"{_day(d['review_by'])}: {days} days (MHPS allows at most {limit})",
                ),
                ("Details", d["details"] or "None"),
            ],
            form=form,
            confirm_url=_url("measure_confirm", trust, case),
            change_url=_url("measure_add", trust, case),
            says=[
                f"The {kind.label.lower()} is recorded on the case with your name"
                + (f", and counts on the board's figures from {_day(d['starts_on'])}." if exclusion else "."),
                f"Its review by {_day(d['review_by'])} goes on your list of what needs you"
                + ("; if it is missed, the case page says the doctor may return." if exclusion else "."),
            ],
            button=f"Record the {kind.label.lower()}",
            change_posts=True,
        )

    return _checked(
        request,
        trust,
        case,
        "measure",
        lambda d: services.measure_problems(
            case=case, kind=d["kind"], starts_on=d["starts_on"], review_by=d["review_by"]
        ),
        check,
    )


@require_POST
def measure_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    form = presenters.action_form("measure", trust=trust, case=case, data=request.POST)
    return act(
        request,
        form,
        save=lambda d: services.measure_add(actor=request.user, case=case, **d),
        done=lambda m: redirect(_url("measure_recorded", trust, case, measure_pk=m.pk)),
        page=lambda bound: render_case(request, trust, case, ("measure", bound)),
        saved="",
    )


@require_safe
def measure_recorded(request: HttpRequest, trust_code: str, pk: int, measure_pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    measure = case.measures.filter(pk=measure_pk).first()
    if measure is None:
        raise Http404
    read(request.user, Perm.VIEW_CASE, case, why="case decision confirmed")
    kind = MeasureKind(measure.kind)
    alert = selectors.rules()["alert_days_before_review"]
    steps = [
        f"Review it by {_day(measure.review_by)}. It is on your list of what needs you from {alert} days before. "
        + (
            "If it is not reviewed by then, the case page says the doctor may return to work."
            if kind != MeasureKind.RESTRICTION
            else "Lift it, or renew it, from the case page."
        ),
    ]
    if kind == MeasureKind.FORMAL:
        periods = selectors.rules()["exclusion"]["ppa_again_after_periods"]
        steps.append(
            f"A formal exclusion lasts at most 4 weeks at a time: renew it only after a review. After {periods} "
            "periods, consult Practitioner Performance Advice again before renewing it."
        )
    if kind != MeasureKind.RESTRICTION:
        steps.append("The board's figures count the exclusion from its first day, across renewed periods.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=f"{kind.label} recorded",
        summary=f"{kind.label} of {case.doctor.display_name} from {_day(measure.starts_on)}, to be reviewed by "
        f"{_day(measure.review_by)}.",
        next_steps=steps,
        links=[(_url("case", trust, case), "Back to the case")],
    )


# --------------------------------------------------------------------------------------- the decision on a case


@require_POST
def decision_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    names = selectors.names("decisions")

    def check(form: Any) -> HttpResponse:
        d = form.cleaned_data
        before = names.get(case.decision, case.decision) if case.decision else ""
        return check_page(
            request,
            trust=trust,
            section=SECTION,
            doing="record the decision",
            caption=f"Case {case.pk}: {case.doctor.display_name}",
            rows=[
                ("Doctor", case.doctor.display_name),
                ("Decision", names.get(d["decision"], d["decision"])),
                ("Reasons", d["decision_reasons"]),
                ("Decided on", _day(d["decided_on"])),
                *([("It replaces", f"{before} ({_day(case.decided_on)})")] if before and case.decided_on else []),
            ],
            form=form,
            confirm_url=_url("decision_confirm", trust, case),
            change_url=_url("decide", trust, case),
            says=[
                "The decision and its reasons are recorded on the case with your name. Only the people named on "
                "the case see it; the audit trail records that it was made, never what it says.",
            ],
            button="Record the decision",
            change_posts=True,
        )

    return _checked(
        request,
        trust,
        case,
        "decide",
        lambda d: services.decision_problems(
            case=case, decision=d["decision"], reasons=d["decision_reasons"], decided_on=d["decided_on"], today=today()
        ),
        check,
    )


@require_POST
def decision_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    form = presenters.action_form("decide", trust=trust, case=case, data=request.POST)
    return act(
        request,
        form,
        save=lambda d: services.decide(
            actor=request.user,
            case=case,
            decision=d["decision"],
            reasons=d["decision_reasons"],
            decided_on=d["decided_on"],
            today=today(),
        ),
        done=lambda _: redirect(_url("decision_recorded", trust, case)),
        page=lambda bound: render_case(request, trust, case, ("decide", bound)),
        saved="",
    )


NEXT = {
    "informal": "Agree the informal resolution with the doctor and record it in the evidence log.",
    "formal": "Start the investigation from the case page, if it has not started: name a case investigator first. "
    "The timetable counts from their appointment.",
    "gmc": "Make the referral to the General Medical Council and record it in the evidence log; tell the "
    "responsible officer, if they are not named on the case.",
    "none": "Tell the doctor the outcome in writing and record it in the evidence log.",
}


@require_safe
def decision_recorded(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    if not case.decision:
        return redirect(_url("case", trust, case))
    read(request.user, Perm.VIEW_CASE, case, why="case decision confirmed")
    name = selectors.names("decisions").get(case.decision, case.decision)
    steps = [NEXT[case.decision]] if case.decision in NEXT else []
    steps.append("Close the case when it is done: every exclusion and restriction must be reviewed or lifted first.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Decision recorded",
        summary=f"{name}, decided on {_day(case.decided_on)}.",
        next_steps=steps,
        links=[(_url("case", trust, case), "Back to the case")],
    )
