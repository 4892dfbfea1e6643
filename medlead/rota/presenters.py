"""What the rota pages show that needs more than a query: a rota's week with its check and hours, an exception
report with the forms its reader may use, and the generation page with its forms, its result as a grid and what may
be done while it runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from markupsafe import Markup

from medlead.core import kept
from medlead.core.charts import bar_chart
from medlead.core.dates import today
from medlead.core.page_actions import errors_of
from medlead.core.policy import Perm, can
from medlead.organisation.models import Grade, Trust
from medlead.rota import placed, publication, selectors
from medlead.rota.forms import (
    AbsenceForm,
    AgainForm,
    FineForm,
    GenerateForm,
    OutcomeForm,
    PlanForm,
    RequestForm,
    ShiftNeedsForm,
)
from medlead.rota.models import ExceptionReport, ReportKind, RosterPlan, Rota
from medlead.rulebook.unconfirmed import NOTHING

# ------------------------------------------------------------------------------------------- a rota


def rota_page(*, actor: Any, trust: Trust, pk: int, week: dt.date | None) -> dict[str, Any]:
    """A rota's page: the week asked for (else the week of its first breach, else of its first duty) as a grid, the
    breaches and warnings of its last check, each doctor's average weekly hours against their limit, and its
    publications. What the rota shows is the same for everyone who may see it, so kept (``core.kept``) until a
    duty, a member, a breach, a change or a rule changes; who published each rotation, and what the reader may do,
    are read with each request. ``Http404`` for a rota the trust does not have."""
    shown = kept.kept(("rota:page", trust.pk, pk, week, today()), lambda: _rota_shown(trust, pk, week))
    rota = shown["rota"]
    return {
        **shown,
        "current_trust": trust,
        "section": "rotas",
        "can_manage": can(actor, Perm.MANAGE_ROTAS, trust),
        # issue 32: each rotation's notice
        "publications": publication.publications(rota=rota),
        "can_publish": can(actor, Perm.PUBLISH_ROTA, rota),
    }


def _rota_shown(trust: Trust, pk: int, week: dt.date | None) -> dict[str, Any]:
    """The rota's first day and members are read once for all of its parts, and its rules once: the grid and the
    notice are judged by the rules of its last check, the hours' limits by those that judge it now, read apart only
    where the two differ."""
    rota = get_object_or_404(Rota.objects.select_related("specialty"), trust=trust, pk=pk)
    rota.trust = trust
    first = selectors.rota_first_day(rota)
    members = selectors.rota_members(rota)
    judging = rota.rules_id(first)
    checked = selectors.rules_from_first_day(rota, first, rota.checked_rules)
    rules = checked if (rota.checked_rules or judging) == judging else selectors.rules_from_first_day(rota, first)
    breach_list, breaches = selectors.breach_list(rota=rota)
    if week is None:
        week = selectors.opening_week(breach_list[0]["breach"].start if breach_list else None, first)
    hours = selectors.hours_by_doctor(rota=rota, rules=rules, members=members)
    limit = max((h["limit"] for h in hours), default=None)
    shown = {
        "rota": rota,
        "grid": selectors.week_grid(rota=rota, week=week, rules=checked, members=members),
        "week": week,
        "hours": hours,
        "chart": bar_chart(
            [(h["person"].display_name, h["average"]) for h in hours],
            title=f"Average weekly hours on {rota.name}",
            unit=" h",
            axis="Average hours a week",
            limit=limit,
            limit_label=f"{limit or 0:g} h limit (full time)",
        ),
        "all_breaches": breaches,
        "has_duties": first is not None,
        "breach_list": breach_list,
        "warnings": list(rota.breaches.filter(warning=True).select_related("person")),
        # one plain sentence where a rule's value is a national default the trust has not confirmed
        "rules_notice": checked.notice,
        # issue 32: changes since publication
        "late_changes": publication.late_changes(rota=rota),
    }
    # the breaches, warnings and hours, written once (the grid, with its forms for those who may change it, is
    # written with each request)
    shown["findings"] = Markup(render_to_string("rota/_rota_findings.jinja", shown))  # noqa: S704 - escaped by Jinja
    for written in ("hours", "chart", "breach_list", "warnings"):
        del shown[written]  # in the findings: not kept twice
    return shown


# ------------------------------------------------------------------------------------------- exception report


def tiers_for(report: ExceptionReport) -> dict[str, str]:
    """The tiers of evidence that confirm additional hours, for a report of hours under its rules' version."""
    version = selectors.rules_version(report.rules_version)
    if report.kind != ReportKind.HOURS:
        return {}
    return {t["code"]: t["name"] for t in version.get("verification_tiers", [])}


def outcome_form(report: ExceptionReport, data: Any = None) -> OutcomeForm:
    return OutcomeForm(data, tiers=tiers_for(report), toil_rule=report.toil_rule)


def fine_form(report: ExceptionReport, data: Any = None) -> FineForm:
    """The guardian's fine form. medlead holds no pay data (a doctor's grade, not their pay point or salary), so the
    basic hourly rate is asked; it starts as the rate the guardian last gave for this doctor, and says so."""
    form = FineForm(
        data,
        categories=selectors.fine_categories(on=report.occurred_on),
        initial={
            "fine_category": report.fine_category,
            "fine_amount": report.fine_amount if not report.fine_hours else None,
            "fine_hours": report.fine_hours,
            "fine_hourly_rate": report.fine_hourly_rate,
            "fine_note": report.fine_note,
        },
    )
    rate = form.fields["fine_hourly_rate"]
    last = None if report.fine_hourly_rate else selectors.last_hourly_rate(report)
    if last is not None:
        form.initial["fine_hourly_rate"] = last.fine_hourly_rate
        rate.help_text = (
            f"Filled in from your fine for {report.doctor.display_name}'s report of {last.occurred_on:%-d %B %Y}: "
            "check it is still their basic hourly rate (medlead holds no pay data)."
        )
    else:
        rate.help_text = (
            "medlead holds no pay data: give the doctor's basic hourly rate from their pay slip or medical staffing. "
            "The fine is computed from it at the penalty rate, and split between the doctor and the guardian."
        )
    return form


def reaches(report: ExceptionReport) -> str:
    """For a placed doctor's report, whose guardians it reaches by their placement (issue 34); else ""."""
    who = placed.named(report)
    if not who.placed:
        return ""
    names = ([f"{report.trust.name}'s (the host)"] if who.host else []) + (
        [f"{who.lead.name}'s (the doctor's lead employer)"] if who.lead is not None else []
    )
    return " and ".join(names) + ", as the doctor's placement on the date of the event says"


def report_page(
    *, actor: Any, trust: Trust, report: ExceptionReport, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The report's page: the agreement form for those who agree its outcome, the fine form for the guardian;
    ``posted`` is the form just posted, shown with its errors."""
    bound: dict[str, forms.Form] = dict([posted]) if posted else {}
    may_agree = can(actor, Perm.AGREE_EXCEPTION_OUTCOME, report)
    may_fine = can(actor, Perm.FLAG_FINES, report)
    tiers = tiers_for(report)
    return {
        "current_trust": trust,
        "section": "rotas",
        "report": report,
        "outcome_form": (bound["outcome"] if "outcome" in bound else outcome_form(report)) if may_agree else None,
        "fine_form": (bound["fine"] if "fine" in bound else fine_form(report)) if may_fine else None,
        # a fine that cannot be levied is not offered: no breach attracts one on the date of the event
        "fine_impossible": may_fine and not selectors.fine_categories(on=report.occurred_on),
        "fine_name": selectors.fine_categories(on=report.occurred_on).get(report.fine_category, ""),
        # one plain sentence where the fine's rates are the national default the trust has not confirmed
        # the host's rates: a placed doctor's report is the host's, whose department pays the fine
        "fine_rates_default": selectors.fine_unconfirmed(report.trust, report.occurred_on)
        if may_fine or report.fine_hours
        else NOTHING,
        "rules_name": selectors.rules_version(report.rules_version)["name"],
        "reaches": reaches(report),
        "verified_by": tiers.get(report.hours_verified_by, ""),
    }


def fine_check(*, trust: Trust, report: ExceptionReport, form: forms.Form, terms: dict[str, Any]) -> dict[str, Any]:
    """The check-your-answers page of a fine: the guardian's answers, and the fine's calculation and split as
    ``services.fine_terms`` computed them with the rates in force on the date of the event."""
    name = selectors.fine_categories(on=report.occurred_on).get(terms["fine_category"], "")
    rows = [("Breach", name or "No fine: clear the flag")]
    working: list[tuple[str, str]] = []
    if terms["fine_hours"]:
        rates = selectors.fine_rates(report.trust, report.occurred_on)
        hours, rate = terms["fine_hours"], terms["fine_hourly_rate"]
        rows += [("Hours of the breach", f"{hours.normalize():f}"), ("The doctor's basic hourly rate", f"£{rate:,.2f}")]
        working = [
            (
                "The fine",
                f"{hours.normalize():f} hours × £{rate:,.2f} × {rates.penalty_multiplier.normalize():f} "
                f"(the penalty rate) = £{terms['fine_amount']:,.2f}",
            ),
            (
                "To the doctor",
                f"{hours.normalize():f} × £{rate:,.2f} × {rates.doctor_multiplier.normalize():f} "
                f"= £{terms['fine_to_doctor']:,.2f}",
            ),
            (
                "To the guardian's fund",
                f"the rest, £{terms['fine_to_guardian']:,.2f} "
                f"({rates.guardian_multiplier.normalize():f} times the hourly rate for each hour)",
            ),
        ]
    elif terms["fine_category"]:
        rows.append(("Amount of the fine", f"£{terms['fine_amount']:,.2f}"))
        working = [("To the guardian's fund", f"£{terms['fine_to_guardian']:,.2f}")]
    rows.append(("Note", terms["fine_note"] or "None"))
    if terms["fine_payer"]:
        working.append(("Paid by", terms["fine_payer"]))
    return {
        "current_trust": trust,
        "section": "rotas",
        "report": report,
        "rows": rows,
        "working": working,
        "fine_rates_default": selectors.fine_unconfirmed(report.trust, report.occurred_on)
        if terms["fine_hours"]
        else NOTHING,
    }


# ------------------------------------------------------------------------------------------- generation

# The generation page's forms that carry nothing to fill in: their errors (a service's refusal) go to the top.
BUTTONS = ("generate", "stop")


def plan_form(rota: Rota, plan: RosterPlan | None, today: dt.date, data: Any = None) -> PlanForm:
    next_monday = today + dt.timedelta(days=7 - today.weekday())
    initial = (
        {"starts_on": plan.starts_on, "weeks": plan.weeks, "template": plan.template, "time_limit": plan.time_limit}
        if plan
        else {"starts_on": next_monday, "weeks": 8, "time_limit": 60}
    )
    return PlanForm(data, initial=initial)


def needs_form(plan: RosterPlan, code: str, data: Any = None) -> ShiftNeedsForm:
    """The form for one shift's needs; prefixed with the shift's code, as several are on the page."""
    shift = next(s for s in plan.shifts if s["code"] == code)
    initial = {"needed": ", ".join(str(n) for n in shift["needed"]), "grades": shift.get("grades", [])}
    return ShiftNeedsForm(data, prefix=code, initial=initial)


def plan_forms(rota: Rota, plan: RosterPlan) -> dict[str, Any]:
    """Makers of the forms that change or run a plan that exists, each bound to ``data`` when called with it."""
    return {
        "absence": lambda d=None: AbsenceForm(d, rota=rota),
        "request": lambda d=None: RequestForm(d, rota=rota, shifts=plan.shifts),
        "again": lambda d=None: AgainForm(d),
        "generate": lambda d=None: GenerateForm(d),
        "stop": lambda d=None: GenerateForm(d),
    }


def generate_page(
    *, trust: Trust, rota: Rota, plan: RosterPlan | None, today: dt.date, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The generation page: the plan, leave and requests with their forms, the request to generate, its progress
    and a stop, and the result as a grid of doctors and days."""
    forms_: dict[str, Any] = {"plan": plan_form(rota, plan, today)}
    if plan is not None:
        forms_ |= {name: make() for name, make in plan_forms(rota, plan).items()}
        forms_ |= {f"needs-{s['code']}": needs_form(plan, s["code"]) for s in plan.shifts}
    result = plan.result if plan else {}
    stopped = plan is not None and selectors.generation_stopped(plan)
    running = plan is not None and plan.running and not stopped
    errors: list[str] = []
    if posted is not None:
        name, form = posted
        forms_[name] = form
        # the page shows "generate again" only once there is a result, and no form while the rota is generated
        shown = not running and (name != "again" or bool(result.get("assignment")))
        if name in BUTTONS or not shown:
            errors = errors_of(form)
    grid: list[dict[str, Any]] = []
    if plan is not None and result.get("assignment"):
        people = {str(m.person_id): m.person for m in rota.members.select_related("person")}
        cells: dict[str, list[str]] = {pid: [""] * (plan.weeks * 7) for pid in people}
        for doctor, day, code in result["assignment"]:
            if doctor in cells:
                cells[doctor][day] = code
        grid = [{"person": people[pid], "cells": cells[pid]} for pid in sorted(people, key=lambda p: str(people[p]))]
    return {
        "current_trust": trust,
        "section": "rotas",
        "rota": rota,
        "plan": plan,
        "forms": forms_,
        "errors": errors,
        "result": result,
        "failure": selectors.generation_failure(plan) if plan else None,
        "grid": grid,
        "days": [plan.day(i) for i in range(plan.weeks * 7)] if plan else [],
        "running": running,
        "stopped": stopped,
        "absences": plan.absences.select_related("person") if plan else [],
        "requests": plan.requests.select_related("person") if plan else [],
        "shift_names": {s["code"]: s["name"] for s in plan.shifts} if plan else {},
        "grade_names": dict(Grade.choices),
    }
