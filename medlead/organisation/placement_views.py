"""Placements of lead employers' resident doctors in host trusts (issue 34, ADR 0035): the list (the lead employer's
doctors placed elsewhere, and the doctors placed with this trust), one placement, recording one (form, check your
answers, confirmation) and ending one early (the same three pages)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST, require_safe

from medlead.core import dates
from medlead.core.page_actions import act
from medlead.core.params import MAX_ID
from medlead.core.policy import Perm, can, require, require_known
from medlead.core.query import QueryForm, strict
from medlead.core.views import changing, check_page, done_page, form_page
from medlead.organisation import selectors, services
from medlead.organisation.forms import PlacementEndForm, PlacementForm
from medlead.organisation.hooks import REPORTS_REACHING_LEAD_EMPLOYER
from medlead.organisation.models import ExceptionReportingBy, Placement, Trust

SECTION = "people"
TO_LEAD = (ExceptionReportingBy.LEAD_EMPLOYER, ExceptionReportingBy.BOTH)


class PlacementsQuery(QueryForm):
    side = forms.ChoiceField(choices=[("out", "out"), ("in", "in")], required=False)
    page = forms.IntegerField(required=False, min_value=1, max_value=MAX_ID)


def _day(day: Any) -> str:
    return f"{day.day} {day:%B %Y}"


def _url(name: str, trust: Trust, placement: Placement | None = None) -> str:
    kwargs: dict[str, Any] = {"trust_code": trust.code}
    if placement is not None:
        kwargs["pk"] = placement.pk
    return reverse(f"organisation:{name}", kwargs=kwargs)


def arrangement_words(placement: Placement) -> str:
    """Whose guardian the placement's exception reports reach, by the trusts' names."""
    host, lead = placement.host.name, placement.lead_employer.name
    return {
        ExceptionReportingBy.HOST: f"The host's guardian ({host})",
        ExceptionReportingBy.LEAD_EMPLOYER: f"The lead employer's guardian ({lead})",
        ExceptionReportingBy.BOTH: f"Both guardians ({host} and {lead})",
    }[ExceptionReportingBy(placement.exception_reporting)]


def when(placement: Placement, today: Any) -> str:
    """Where a placement stands today, in words."""
    if placement.ends_on < today:
        return f"Ended on {_day(placement.ends_on)}"
    if placement.starts_on > today:
        return f"Starts on {_day(placement.starts_on)}"
    return f"Under way, until {_day(placement.ends_on)}"


@require_safe
def placements(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The trust's resident doctors placed in other trusts (as lead employer), or those placed with it (as host)."""
    trust = selectors.trust_for(request.user, trust_code, Perm.VIEW_PLACEMENTS)
    asked = strict(PlacementsQuery(request.GET))
    side, today = asked["side"] or "out", dates.today()
    out, hosted = selectors.placements_out(trust=trust), selectors.placements_in(trust=trust)
    page = Paginator(out if side == "out" else hosted, 50).get_page(asked["page"])
    rows = list(page.object_list)
    reaching = REPORTS_REACHING_LEAD_EMPLOYER([p.pk for p in rows if p.exception_reporting in TO_LEAD])
    return render(
        request,
        "organisation/placements.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "side": side,
            "page": page,
            "rows": [(p, arrangement_words(p), reaching.get(p.pk), when(p, today)) for p in rows],
            "counts": {"out": out.count(), "in": hosted.count()},
            "may_record": can(request.user, Perm.MANAGE_PLACEMENTS, trust),
        },
    )


def _placement(request: HttpRequest, trust: Trust, pk: int) -> Placement:
    """The placement, for those who may see it; 404 for everyone else, as for one that does not exist."""
    found = selectors.placement(trust=trust, pk=pk)
    if found is None:
        raise Http404("No such placement.")
    require_known(request.user, found, Perm.VIEW_PLACEMENT)
    return found


@require_safe
def placement(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code)
    found = _placement(request, trust, pk)
    as_lead = found.lead_employer_id == trust.pk
    reaching = (
        REPORTS_REACHING_LEAD_EMPLOYER([found.pk]).get(found.pk)
        if as_lead and found.exception_reporting in TO_LEAD
        else None
    )
    return render(
        request,
        "organisation/placement.jinja",
        {
            "current_trust": trust,
            "section": SECTION,
            "placement": found,
            "as_lead": as_lead,
            "doctor": found.employee if as_lead else found.placed_as,
            "arrangement": arrangement_words(found),
            "reaching": reaching,
            "when": when(found, dates.today()),
            "may_end": can(request.user, Perm.MANAGE_PLACEMENTS, found) and found.ends_on >= dates.today(),
        },
    )


# ------------------------------------------------------------------------------------------ recording a placement


def _record_form_page(request: HttpRequest, trust: Trust, form: PlacementForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title="Record a placement in a host trust",
        button="Continue",
        lede="One of your trust's resident doctors, placed in another trust for a period. You will check your "
        "answers before it is recorded.",
        back=(_url("placements", trust), "Back to placements"),
    )


def _problems(form: PlacementForm, trust: Trust) -> None:
    d = form.cleaned_data
    problems = services.placement_problems(
        lead_employer=trust, employee=d["employee"], host=d["host"], starts_on=d["starts_on"], ends_on=d["ends_on"]
    )
    for field, problem in problems.items():
        form.add_error(field if field in form.fields else None, problem)


def record(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The placement's form; a valid post shows "Check your answers" (nothing is recorded yet)."""
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PLACEMENTS)
    form = PlacementForm(request.POST if request.method == "POST" else None, trust=trust)
    if request.method != "POST" or changing(request) or not form.is_valid():
        return _record_form_page(request, trust, form)
    _problems(form, trust)
    if form.errors:
        return _record_form_page(request, trust, form)
    d = form.cleaned_data
    doctor, host = d["employee"], d["host"]
    words = dict(ExceptionReportingBy.choices)[d["exception_reporting"]]
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="record the placement",
        rows=[
            ("Resident doctor", f"{doctor.display_name} (GMC {doctor.gmc_number}), {doctor.get_grade_display()}"),
            ("Host trust", host.name),
            ("Placement", f"{_day(d['starts_on'])} to {_day(d['ends_on'])}"),
            ("Exception reports go to", words),
        ],
        form=form,
        confirm_url=_url("placement_record_confirm", trust),
        change_url=_url("placement_record", trust),
        change_posts=True,
        says=[
            f"{host.name} gets a record of {doctor.display_name}: the one it holds with GMC number "
            f"{doctor.gmc_number}, or a new one with their name, GMC number and grade. It sees nothing else of your "
            "records.",
            f"{host.name}'s medical staffing, guardian and medical director see the placement.",
        ],
        button="Record the placement",
    )


@require_POST
def record_confirm(request: HttpRequest, trust_code: str) -> HttpResponse:
    """The placement, confirmed on the check page: recorded, with the doctor's record at the host."""
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PLACEMENTS)
    form = PlacementForm(request.POST, trust=trust)
    return act(
        request,
        form,
        save=lambda d: services.placement_record(actor=request.user, lead_employer=trust, **d),
        done=lambda made: redirect("organisation:placement_recorded", trust_code=trust.code, pk=made.pk),
        page=lambda bound: _record_form_page(request, trust, bound),  # type: ignore[arg-type]
        saved="",
    )


def _reaches(placement: Placement) -> str:
    return {
        ExceptionReportingBy.HOST: f"only {placement.host.name}'s guardian of safe working hours",
        ExceptionReportingBy.LEAD_EMPLOYER: f"only your guardian of safe working hours, not {placement.host.name}'s",
        ExceptionReportingBy.BOTH: f"both {placement.host.name}'s guardian of safe working hours and yours",
    }[ExceptionReportingBy(placement.exception_reporting)]


@require_safe
def recorded(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PLACEMENTS)
    found = _placement(request, trust, pk)
    require(request.user, Perm.MANAGE_PLACEMENTS, found)
    host, doctor = found.host.name, found.employee.display_name
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Placement recorded",
        summary=f"{doctor} is placed in {host} from {_day(found.starts_on)} to {_day(found.ends_on)}.",
        next_steps=[
            f"{host}'s rota coordinator can put {doctor} on its rotas: each rota is checked by the same rules as for "
            f"{host}'s own doctors. If {doctor} works less than full time, {host}'s medical staffing records it on "
            "their record there.",
            f"{host}'s system administrator links {doctor}'s account to their record there, so that they see their "
            "rota and report extra hours in it.",
            f"Exception reports about events from {_day(found.starts_on)} to {_day(found.ends_on)} reach "
            f"{_reaches(found)}, with the fines on them.",
        ],
        links=[
            (_url("placement", trust, found), "See the placement"),
            (_url("placements", trust), "Back to placements"),
        ],
    )


# ------------------------------------------------------------------------------------------ ending one early


def _end_form_page(request: HttpRequest, trust: Trust, found: Placement, form: PlacementEndForm) -> HttpResponse:
    return form_page(
        request,
        trust=trust,
        section=SECTION,
        form=form,
        title=f"End {found.employee.display_name}'s placement in {found.host.name} early",
        button="Continue",
        lede=f"It runs from {_day(found.starts_on)} to {_day(found.ends_on)}. You will check your answers before it "
        "is ended.",
        back=(_url("placement", trust, found), "Back to the placement"),
    )


def _may_end(request: HttpRequest, trust_code: str, pk: int) -> tuple[Trust, Placement]:
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PLACEMENTS)
    found = _placement(request, trust, pk)
    require(request.user, Perm.MANAGE_PLACEMENTS, found)
    return trust, found


def end(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    """The new last day; a valid post shows "Check your answers" (nothing is changed yet)."""
    trust, found = _may_end(request, trust_code, pk)
    form = PlacementEndForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or changing(request) or not form.is_valid():
        return _end_form_page(request, trust, found, form)
    ends_on = form.cleaned_data["ends_on"]
    problem = services.placement_end_problem(placement=found, ends_on=ends_on, today=dates.today())
    if problem:
        form.add_error("ends_on", problem)
        return _end_form_page(request, trust, found, form)
    return check_page(
        request,
        trust=trust,
        section=SECTION,
        doing="end the placement early",
        facts=[
            ("Resident doctor", found.employee.display_name),
            ("Host trust", found.host.name),
            ("Placement", f"{_day(found.starts_on)} to {_day(found.ends_on)}"),
        ],
        rows=[("New last day", _day(ends_on))],
        form=form,
        confirm_url=_url("placement_end_confirm", trust, found),
        change_url=_url("placement_end", trust, found),
        change_posts=True,
        says=[
            f"The placement ends on {_day(ends_on)}. Exception reports about events after that day reach "
            f"{found.host.name}'s guardian only.",
        ],
        button="End the placement",
    )


@require_POST
def end_confirm(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust, found = _may_end(request, trust_code, pk)
    form = PlacementEndForm(request.POST)
    return act(
        request,
        form,
        save=lambda d: services.placement_end(actor=request.user, placement=found, ends_on=d["ends_on"]),
        done=lambda _: redirect("organisation:placement_ended", trust_code=trust.code, pk=found.pk),
        page=lambda bound: _end_form_page(request, trust, found, bound),  # type: ignore[arg-type]
        saved="",
    )


@require_safe
def ended(request: HttpRequest, trust_code: str, pk: int) -> HttpResponse:
    trust = selectors.trust_for(request.user, trust_code, Perm.MANAGE_PLACEMENTS)
    found = _placement(request, trust, pk)
    require(request.user, Perm.MANAGE_PLACEMENTS, found)
    host, doctor = found.host.name, found.employee.display_name
    return done_page(
        request,
        trust=trust,
        section=SECTION,
        title="Placement ended early",
        summary=f"{doctor}'s placement in {host} now ends on {_day(found.ends_on)}.",
        next_steps=[
            f"Exception reports about events after {_day(found.ends_on)} reach {host}'s guardian of safe working "
            "hours only; those about events during the placement keep the guardians it named.",
            f"{doctor}'s record at {host} stays: {host}'s rota coordinator takes them off its rotas, and its medical "
            "staffing marks them as having left when they go.",
        ],
        links=[
            (_url("placement", trust, found), "See the placement"),
            (_url("placements", trust), "Back to placements"),
        ],
    )
