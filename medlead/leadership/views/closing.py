"""Closing a 360 (issue 31): a decision that ends the answering, so it is checked (how many answered, what the
report will show) and confirmed, and not offered until the report can show something (what is missing instead)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.policy import Perm, require
from medlead.core.views import check_page, done_page
from medlead.leadership import selectors, services
from medlead.leadership.forms import CloseCycleForm
from medlead.leadership.models import CycleStatus, FeedbackCycle
from medlead.leadership.report import MIN_GROUP
from medlead.leadership.views.common import SECTION, bad_request, render_page
from medlead.leadership.views.cycles import _cycle
from medlead.organisation.models import Trust


def _cannot(request: HttpRequest, trust: Trust, c: FeedbackCycle, errors: list[str] | None = None) -> HttpResponse:
    counts = selectors.cycle_counts(c)
    return render_page(
        request,
        "leadership/cannot_close.jinja",
        trust,
        c=c,
        missing=services.close_missing(counts["invited"], counts["responded"]),
        errors=errors or [],
    )


def _url(name: str, trust: Trust, c: FeedbackCycle) -> str:
    return reverse(f"leadership:{name}", kwargs={"trust_code": trust.code, "pk": c.pk})


@require_safe
def close_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """How many answered and what the report will show, before the cycle closes; or what is missing first."""
    trust, c = _cycle(request, trust_code, pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    if c.status == CycleStatus.CLOSED:
        return redirect(_url("report", trust, c))
    require(request.user, Perm.CLOSE_CYCLE, c)
    counts = selectors.cycle_counts(c)
    if not all(done for _, done in services.close_missing(counts["invited"], counts["responded"])):
        return _cannot(request, trust, c)
    waiting = counts["invited"] - counts["responded"]
    form = CloseCycleForm({"confirm": "yes"})
    form.is_valid()
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="close this 360",
        caption=f"360 feedback: {c.framework.name}",
        rows=[
            ("Answered", f"{counts['responded']} of {counts['invited']} people invited"),
            (
                "Not answered yet",
                f"{waiting}: once it is closed they cannot answer" if waiting else "None: everyone invited answered",
            ),
            (
                "Closing date",
                f"{c.closes_on:%-d %B %Y}: you are closing it early" if waiting else f"{c.closes_on:%-d %B %Y}",
            ),
            (
                "Your report will show",
                f"The mean ratings of your raters together, and each group of at least {MIN_GROUP} on its own "
                f"(smaller groups are combined, or left out when even together they are fewer than {MIN_GROUP}); "
                "your line manager's ratings on their own; comments without names.",
            ),
        ],
        form=form,
        confirm_url=_url("cycle_close", trust, c),
        change_url=_url("cycle", trust, c),
        change_text="Back to the 360",
        says=[
            "The cycle closes now and nobody else can answer: their links will say it has closed.",
            "Your report is ready at once"
            + (
                f", and your facilitator, {c.facilitator.display_name}, can see it to debrief you."
                if c.facilitator
                else "."
            ),
        ],
        button="Close and see the report",
    )


@require_POST
def cycle_close(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, c = _cycle(request, trust_code, pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    form = CloseCycleForm(request.POST)
    if not form.is_valid():
        return bad_request(request, "The confirmation to close the cycle was not understood. Nothing was changed.")
    try:
        services.cycle_close(actor=request.user, cycle=c)
    except ValidationError as exc:
        return _cannot(request, trust, c, exc.messages[:1])
    return redirect(_url("cycle_closed", trust, c))


@require_safe
def cycle_closed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, c = _cycle(request, trust_code, pk)
    require(request.user, Perm.MANAGE_CYCLE, c)
    if c.status != CycleStatus.CLOSED:
        return redirect(_url("cycle", trust, c))
    steps = ["Nobody else can answer. Your report is ready, under the anonymity rules: no rater is named."]
    if c.facilitator:
        steps.append(f"Your facilitator, {c.facilitator.display_name}, can see it and will arrange to debrief you.")
    steps.append(
        "Talk it through with your appraiser or a coach, and use it in your personal development plan: your "
        "development suggestions now take it into account."
    )
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Your 360 is closed",
        summary=f"360 feedback on the {c.framework.name} is closed.",
        next_steps=steps,
        links=[(_url("report", trust, c), "See your report"), (_url("cycle", trust, c), "Back to the 360")],
    )
