"""A job plan's signatures (issue 31): the clinical director's signature and the medical director's sign-off are
decisions that count, so each is a check of what is being signed, a confirmation saying what happens next, and never
offered while the plan cannot be signed (what is missing is listed instead)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core.policy import Forbidden
from medlead.core.views import check_page, done_page
from medlead.jobplans import selectors, services
from medlead.jobplans.forms import VersionForm
from medlead.jobplans.models import Activity, JobPlan, State
from medlead.jobplans.views.plans import STALE, _plan
from medlead.jobplans.workflows import JOB_PLAN

SECTION = "jobplans"
DOING = {State.SIGNED_CD: "sign this job plan", State.SIGNED: "sign off this job plan"}


def _signature(request: HttpRequest, trust_code: str, pk: int) -> tuple[JobPlan, State]:
    """The plan and the signature it waits for from this user: 403 when they may not give it now."""
    plan = _plan(request, trust_code, pk)
    to = selectors.SIGNING.get(State(plan.state))
    if to is None:
        raise Forbidden(message="This job plan is not waiting for a signature.")
    if not JOB_PLAN.may_move(request.user, plan, to):
        move = next(m for m in JOB_PLAN.moves if m.source == plan.state and m.target == to)
        raise Forbidden(move.perm)
    return plan, to


def _cannot(request: HttpRequest, plan: JobPlan, missing: list[str], errors: list[str] | None = None) -> HttpResponse:
    return render(
        request,
        "jobplans/cannot_sign.jinja",
        {"current_trust": plan.trust, "section": SECTION, "plan": plan, "missing": missing, "errors": errors or []},
    )


@require_safe
def sign_check(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """What is being signed, checked before it is: or, when the plan cannot be signed, what is missing."""
    plan, to = _signature(request, trust_code, pk)
    view = selectors.plan_view(plan=plan)
    missing = selectors.missing_for_signature(plan=plan, view=view)
    if missing:
        return _cannot(request, plan, missing)
    form = VersionForm({"version": plan.version})
    form.is_valid()
    s = view["summary"]
    names = dict(Activity._meta.get_field("category").choices or [])
    categories = ", ".join(f"{names.get(str(c), c)} {v}" for c, v in s.by_category.items() if v)
    weigh = [f.message for f in view["findings"]]
    who = plan.person.display_name
    signer = "clinical director" if to == State.SIGNED_CD else "medical director"
    after = (
        "It then waits for the medical director's sign-off (or an associate medical director's in their area)."
        if to == State.SIGNED_CD
        else "It is then the agreed job plan for the year: a change after this is a new round of discussion."
    )
    return check_page(
        request,
        trust=plan.trust,
        section=SECTION,
        doing=DOING[to],
        caption=f"Job plan {plan.year_label}",
        rows=[
            ("Doctor", f"{plan.person.display_name}, {plan.person.get_grade_display()}"),
            ("Year", plan.year_label),
            ("Contracted PAs", str(plan.contracted_pas) if plan.contracted_pas is not None else "Not recorded"),
            ("The plan", f"{s.total} PAs: {categories}" if categories else f"{s.total} PAs"),
            ("Checks to weigh", " ".join(weigh) if weigh else "None: every check passes."),
        ],
        form=form,
        confirm_url=reverse("jobplans:sign_confirm", kwargs={"trust_code": plan.trust.code, "pk": plan.pk}),
        change_url=reverse("jobplans:plan", kwargs={"trust_code": plan.trust.code, "pk": plan.pk}),
        change_text="Back to the job plan",
        says=[
            f"Your name and today's date are recorded as the {signer}'s signature on {who}'s job plan, and {who} "
            "is told by email.",
            after,
        ],
        button="Sign this job plan" if to == State.SIGNED_CD else "Sign off this job plan",
    )


@require_POST
def sign_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    plan, _ = _signature(request, trust_code, pk)
    form = VersionForm(request.POST)
    if not form.is_valid():
        return _cannot(request, plan, [], [STALE])
    try:
        services.sign(actor=request.user, plan=plan, version=form.cleaned_data["version"])
    except ValidationError as exc:
        return _cannot(request, plan, selectors.missing_for_signature(plan=plan), exc.messages[:1])
    return redirect("jobplans:signed", trust_code=plan.trust.code, pk=plan.pk)


@require_safe
def signed(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The confirmation of a signature, while the plan stands signed."""
    plan = _plan(request, trust_code, pk)
    back = [
        (reverse("jobplans:plan", kwargs={"trust_code": plan.trust.code, "pk": plan.pk}), "Back to the job plan"),
        (
            reverse("jobplans:dashboard", kwargs={"trust_code": plan.trust.code}) + f"?waiting=me&year={plan.year}",
            "Job plans waiting for your signature",
        ),
    ]
    who = plan.person.display_name
    if plan.state == State.SIGNED_CD:
        return done_page(
            request,
            trust=plan.trust,
            section=SECTION,
            title="Job plan signed",
            summary=f"{who}'s job plan {plan.year_label} is signed by the clinical director.",
            next_steps=[
                f"{who} has been told by email.",
                "The plan now waits for the medical director's sign-off; it is on their list of plans to sign.",
            ],
            links=back,
        )
    if plan.state == State.SIGNED:
        return done_page(
            request,
            trust=plan.trust,
            section=SECTION,
            title="Job plan signed off",
            summary=f"{who}'s job plan {plan.year_label} is signed off.",
            next_steps=[
                f"{who} has been told by email, and the plan counts as signed off on the trust's dashboard.",
                "It is the agreed plan for the year. Review it at least once a year, or sooner if duties change.",
            ],
            links=back,
        )
    return redirect("jobplans:plan", trust_code=plan.trust.code, pk=plan.pk)
