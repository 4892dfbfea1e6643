"""Two more of the case manager's decisions that count under MHPS (issue 31): the review of an exclusion or
restriction (continue it for another period, change it to another measure, or lift it) and closing the case. Each is
its form (or, for closing, the case page's button), then "Check your answers" (nothing is saved), then a
confirmation saying what happens next. A choice that cannot be taken is not offered: the review page lists what a
continued exclusion still needs, and the case page lists what closing needs instead of the button. To anyone but the
case manager of an open case, every step is not found (404), like the case itself."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.concerns import selectors, services
from medlead.concerns.forms import CloseForm, ReviewForm
from medlead.concerns.models import Case, CaseStatus, Measure, MeasureKind, RoleKind
from medlead.concerns.views.cases import find_case, render_case
from medlead.concerns.views.decisions import SECTION, _day, _managed, _url
from medlead.core.dates import today
from medlead.core.page_actions import act
from medlead.core.policy import Perm, read
from medlead.core.views import changing, check_page, done_page
from medlead.organisation.models import Trust
from medlead.organisation.selectors import trust_for

# ------------------------------------------------------------------------------- the review of a measure


def _measure(case: Case, measure_pk: int) -> Measure:
    """One of the case's exclusions or restrictions still to review."""
    measure = case.measures.filter(pk=measure_pk, reviewed_on__isnull=True).first()
    if measure is None:
        raise Http404
    return measure


def _choices(measure: Measure) -> tuple[list[tuple[str, str]], list[tuple[str, str]], str]:
    """The outcomes and the kinds that may follow ``measure`` if it is reviewed today, and why it cannot be continued
    ("" when it can): a formal exclusion needs Practitioner Performance Advice first (MHPS's limits as the trust
    applies them, ``services.formal_exclusion_missing``)."""
    case, on = measure.case, today()
    formal_missing = services.formal_exclusion_missing(case, on)
    after = services.continued_as(measure)
    limit = services.measure_limit_days(case, after, on)
    outcomes = []
    if after != MeasureKind.FORMAL or not formal_missing:
        if measure.kind == MeasureKind.IMMEDIATE:
            outcomes.append((services.RENEWED, f"Continue it as a formal exclusion (at most {limit} days a period)"))
        else:
            outcomes.append((services.RENEWED, f"Continue it for another period (at most {limit} days)"))
    outcomes += [
        (services.CHANGED, "Change it: record another exclusion or a restriction in its place"),
        (services.LIFTED, "Lift it: it ends today"),
    ]
    kinds = [(v, label) for v, label in MeasureKind.choices if v != MeasureKind.FORMAL or not formal_missing]
    return outcomes, kinds, formal_missing if after == MeasureKind.FORMAL else ""


def _review_form(measure: Measure, data: Any = None, initial: dict[str, Any] | None = None) -> ReviewForm:
    outcomes, kinds, _ = _choices(measure)
    return ReviewForm(data, outcomes=outcomes, kinds=kinds, initial=initial)


def _review_page(request: HttpRequest, trust: Trust, case: Case, measure: Measure, form: Any) -> HttpResponse:
    _, _, missing = _choices(measure)
    what = measure.get_kind_display()
    return render(
        request,
        "concerns/review.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "c": case,
            "m": measure,
            "what": what,
            "form": form,
            "missing": missing,
            "back": _url("case", trust, case),
            "missed": measure.is_missed(today()),
        },
    )


def _next_review(case: Case, kind: str, review_by: Any) -> str:
    days = (review_by - today()).days
    return f"{_day(review_by)}: {days} days (MHPS allows at most {services.measure_limit_days(case, kind, today())})"


def measure_review(request: HttpRequest, trust_code: str, pk: int, measure_pk: int) -> HttpResponse:
    """GET: the review's questions. POST: its answers checked against MHPS's limits, then "Check your answers", or
    the questions again with the errors; "Change your answers" brings them back as answered."""
    trust, case = _managed(request, trust_code, pk)
    measure = _measure(case, measure_pk)
    read(request.user, Perm.VIEW_CASE, case, why="case measure review")
    if request.method != "POST":
        limit = services.measure_limit_days(case, services.continued_as(measure), today())
        initial = {"review_by": today() + dt.timedelta(days=limit)}
        return _review_page(request, trust, case, measure, _review_form(measure, initial=initial))
    form = _review_form(measure, request.POST)
    if not form.is_valid() or changing(request):
        return _review_page(request, trust, case, measure, form)
    d = form.cleaned_data
    for field, message in services.review_problems(
        measure=measure, outcome=d["outcome"], review_by=d["review_by"], kind=d["kind"], today=today()
    ).items():
        form.add_error(field, message)
    if form.errors:
        return _review_page(request, trust, case, measure, form)
    return _review_check(request, trust, case, measure, form)


def _review_check(request: HttpRequest, trust: Trust, case: Case, measure: Measure, form: ReviewForm) -> HttpResponse:
    d = form.cleaned_data
    what = measure.get_kind_display()
    outcome = d["outcome"]
    rows: list[tuple[str, str]]
    if outcome == services.LIFTED:
        rows = [("Decision", f"Lift the {what.lower()} today")]
        says = [
            f"The {what.lower()} is recorded as reviewed and lifted today, with your name."
            + (" The doctor is no longer excluded from today." if measure.is_exclusion else "")
        ]
    else:
        after = services.continued_as(measure) if outcome == services.RENEWED else d["kind"]
        label = MeasureKind(after).label
        rows = [
            ("Decision", "Continue it" if outcome == services.RENEWED else "Change it"),
            ("From today", label),
            ("Next review by", _next_review(case, after, d["review_by"])),
        ]
        if outcome == services.CHANGED:
            rows.append(("Details", d["details"] or "None"))
        says = [
            f"The review is recorded today with your name, and the {label.lower()} from today. Its review by "
            f"{_day(d['review_by'])} goes on your list of what needs you.",
        ]
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing=f"record the review of this {what.lower()}",
        caption=f"Case {case.pk}: {case.doctor.display_name}",
        facts=[
            ("Doctor", case.doctor.display_name),
            ("Under review", f"{what} from {_day(measure.starts_on)}, to be reviewed by {_day(measure.review_by)}"),
        ],
        rows=rows,
        form=form,
        confirm_url=_url("review_confirm", trust, case, measure_pk=measure.pk),
        change_url=_url("measure_review", trust, case, measure_pk=measure.pk),
        says=says,
        button="Record the review",
        change_posts=True,
    )


@require_POST
def review_confirm(request: HttpRequest, trust_code: str, pk: int, measure_pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    measure = _measure(case, measure_pk)
    form = _review_form(measure, request.POST)
    return act(
        request,
        form,
        save=lambda d: services.review_decide(
            actor=request.user,
            measure=measure,
            outcome=d["outcome"],
            today=today(),
            review_by=d["review_by"],
            kind=d["kind"],
            details=d["details"],
        ),
        done=lambda _: redirect(_url("measure_reviewed", trust, case, measure_pk=measure.pk)),
        page=lambda bound: _review_page(request, trust, case, measure, bound),
        saved="",
    )


@require_safe
def measure_reviewed(request: HttpRequest, trust_code: str, pk: int, measure_pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    measure = case.measures.filter(pk=measure_pk, reviewed_on__isnull=False).first()
    if measure is None or measure.reviewed_on is None:
        raise Http404
    read(request.user, Perm.VIEW_CASE, case, why="case measure review confirmed")
    what = measure.get_kind_display()
    following = case.measures.filter(pk__gt=measure.pk, starts_on=measure.reviewed_on).order_by("pk").first()
    hr_lead = case.roles.filter(role=RoleKind.HR_LEAD).exists()
    steps: list[str] = []
    if following is None:
        title = f"{what} lifted"
        summary = f"The {what.lower()} of {case.doctor.display_name} from {_day(measure.starts_on)} is lifted from "
        summary += f"{_day(measure.reviewed_on)}."
        if measure.is_exclusion:
            steps.append(
                "The doctor may return to work. medlead does not email the doctor: tell them yourself, and record "
                "your letter in the evidence log."
            )
            steps.append("The board's figures no longer count the doctor as excluded.")
        else:
            steps.append(
                "The restriction no longer applies. medlead does not email the doctor: tell them yourself, and "
                "record your letter in the evidence log."
            )
    else:
        label = following.get_kind_display()
        title = f"{what} continued" if measure.review_outcome == services.RENEWED else f"{what} changed"
        summary = (
            f"{label} of {case.doctor.display_name} from {_day(following.starts_on)}, to be reviewed by "
            f"{_day(following.review_by)}."
        )
        alert = selectors.rules()["alert_days_before_review"]
        steps.append(
            f"Review it by {_day(following.review_by)}. It is on your list of what needs you from {alert} days "
            "before"
            + (", and on the HR lead's named on the case." if hr_lead else ".")
            + (
                " If it is not reviewed by then, the case page says the doctor may return to work."
                if following.is_exclusion
                else ""
            )
        )
        steps.append(
            "medlead does not email the doctor: tell them of the review's outcome yourself, and record your letter "
            "in the evidence log."
        )
        if following.kind == MeasureKind.FORMAL:
            periods = selectors.rules()["exclusion"]["ppa_again_after_periods"]
            steps.append(
                f"A formal exclusion is renewed only after a review. After {periods} periods, consult Practitioner "
                "Performance Advice again before renewing it."
            )
        since = selectors.excluded_since(case.measures.all())
        if since is not None:
            steps.append(f"The board's figures count the exclusion from its first day, {_day(since)}.")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title=title,
        summary=summary,
        next_steps=steps,
        links=[(_url("case", trust, case), "Back to the case")],
    )


# ------------------------------------------------------------------------------------------ closing a case


@require_POST
def close_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """Closing checked: what the case now says, and what closing does; or the case page with what is missing."""
    trust, case = _managed(request, trust_code, pk)
    form = CloseForm(request.POST)
    missing = [text for text, _, _, done in services.close_missing(case) if not done]
    if not form.is_valid() or missing:
        for text in missing:
            form.add_error(None, f"{text} before closing the case.")
        return render_case(request, trust, case, ("close", form))
    read(request.user, Perm.VIEW_CASE, case, why="case closing checked")
    names = selectors.names("decisions")
    inv = getattr(case, "investigation", None)
    measures = list(case.measures.all())
    facts = [
        ("Doctor", case.doctor.display_name),
        ("Decision", f"{names.get(case.decision, case.decision)} ({_day(case.decided_on)})"),
    ]
    if inv is not None:
        facts.append(("Investigation's outcome", inv.get_outcome_display()))
    facts.append(("Exclusions and restrictions", "Every one reviewed or lifted" if measures else "None were recorded"))
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="close the case",
        caption=f"Case {case.pk}: {case.doctor.display_name}",
        facts=facts,
        rows=[("Closed on", _day(today()))],
        form=None,
        confirm_url=_url("close_confirm", trust, case),
        change_url=_url("case", trust, case),
        change_text="Back to the case",
        says=[
            "The case is closed today with your name. Nothing more can be recorded on it, and it no longer counts "
            "among the open cases on the board's figures.",
            "The people named on it can still read it, its evidence and its history.",
        ],
        button="Close the case",
    )


@require_POST
def close_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, case = _managed(request, trust_code, pk)
    return act(
        request,
        CloseForm(request.POST),
        save=lambda _: services.close(actor=request.user, case=case, closed_on=today(), today=today()),
        done=lambda _: redirect(_url("closed", trust, case)),
        page=lambda bound: render_case(request, trust, case, ("close", bound)),
        saved="",
    )


@require_safe
def closed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation of closing, for the people named on the case (its case manager may no longer manage it)."""
    trust = trust_for(request.user, trust_code)
    case = find_case(request, trust, pk)
    if case.status != CaseStatus.CLOSED or case.closed_on is None:
        return redirect(_url("case", trust, case))
    read(request.user, Perm.VIEW_CASE, case, why="case closing confirmed")
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Case closed",
        summary=f"Case {case.pk}: {case.doctor.display_name}, closed on {_day(case.closed_on)}.",
        next_steps=[
            "medlead does not email anyone about it: tell the doctor, and the people named on the case, that it is "
            "closed.",
            "The case no longer counts among the open cases on the board's figures, and its reviews and reports "
            "leave the lists of what needs you.",
            "The case, its evidence and its history stay readable by the people named on it.",
        ],
        links=[
            (_url("case", trust, case), "Back to the case"),
            (reverse("concerns:cases", kwargs={"trust_code": trust.code}), "Your cases"),
        ],
    )
