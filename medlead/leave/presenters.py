"""What the leave pages show, built here so that templates neither ask permissions by string nor compute rules."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from medlead.core import dates
from medlead.core.policy import Perm, can, read
from medlead.leave import selectors, services
from medlead.leave.entitlement import short_notice
from medlead.leave.forms import CancelForm, DecisionForm, WithdrawForm
from medlead.leave.models import LeaveKind, LeaveRequest
from medlead.organisation.models import Person, Trust


def days(n: Decimal | int | float) -> str:
    """A number of days as people write it: 27, 16.5."""
    value = Decimal(str(n)).normalize()
    text = f"{value:f}"
    return f"{text} {'day' if value == 1 else 'days'}"


def allowance_rows(allowance: selectors.Allowance) -> list[tuple[str, str]]:
    """The entitlement as summary rows (or nothing, when it cannot be worked out: ``allowance.missing`` says why)."""
    rows: list[tuple[str, str]] = []
    if allowance.year is not None:
        start, end = allowance.year
        rows.append(("Leave year", f"{start:%-d %B %Y} to {end:%-d %B %Y}"))
    e = allowance.entitlement
    if e is not None:
        fraction = Decimal(allowance.person.ltft_fraction or 1)
        part = "" if fraction == 1 else f" (pro rata: {fraction:.0%} of full time)"
        rows += [
            ("Annual leave", days(e.annual) + part),
            ("Public holidays", days(e.public_holidays) + part),
        ]
        if e.carried_over:
            rows.append(("Carried over from last year", days(e.carried_over)))
        rows += [
            ("Approved so far", days(e.taken)),
            ("Waiting for a decision", days(e.waiting)),
            ("Annual leave remaining", days(e.remaining)),
        ]
    rows.append(("Study leave", f"{days(allowance.study_days)} a year; {days(allowance.study_taken)} approved"))
    return rows


def to_confirm(allowance: selectors.Allowance) -> str:
    """The one sentence a page says when a value it uses is neither verified nor confirmed by the trust."""
    if not allowance.terms.awaiting:
        return ""
    return (
        "Some of these figures are national values your trust has not confirmed yet ("
        + ", ".join(a.lower() for a in allowance.terms.awaiting)
        + ")."
    )


def mine(*, actor: Any, trust: Trust, person: Person, today: dt.date) -> dict[str, Any]:
    allowance = selectors.allowance(person, today)
    return {
        "person": person,
        "allowance_rows": allowance_rows(allowance),
        "missing": allowance.missing,
        "to_confirm": to_confirm(allowance),
        "leave_requests": selectors.for_doctor(person),
        "may_request": can(actor, Perm.REQUEST_LEAVE, person) and selectors.rotas_of(person).exists(),
        "may_manage": can(actor, Perm.MANAGE_LEAVE, trust),
        "notice_weeks": allowance.terms.terms.notice_weeks,
    }


def request_check(*, person: Person, data: dict[str, Any], today: dt.date) -> dict[str, Any]:
    """The check page of a new request: the answers, and the facts they lead to (notice, days, what is left)."""
    first, last, kind = data["first_day"], data["last_day"], data["kind"]
    allowance = selectors.allowance(person, first)
    notice = allowance.terms.terms.notice_weeks
    short = short_notice(asked_on=today, first_day=first, notice_weeks=notice)
    n = selectors.days_of(person.trust_id, first, last)
    rows = [
        ("Rota", data["rota"].name),
        ("Kind of leave", LeaveKind(kind).label),
        ("First day", f"{first:%A %-d %B %Y}"),
        ("Last day", f"{last:%A %-d %B %Y}"),
    ]
    if data["reason"]:
        rows.append(("What it is for", data["reason"]))
    facts = [
        ("Days of leave", days(n) + " (weekdays that are not bank holidays)"),
        (
            "Notice",
            f"Short: less than {notice} weeks before the first day" if short else f"At least {notice} weeks",
        ),
    ]
    if kind in (LeaveKind.ANNUAL, LeaveKind.LIFE_EVENT):
        e = allowance.entitlement
        if e is None:
            facts.append(
                (
                    "Annual leave remaining",
                    "Not known yet: medical staffing has not recorded " + " and ".join(allowance.missing),
                )
            )
        else:
            facts.append(
                (
                    "Annual leave remaining",
                    f"{days(e.remaining_if_approved - n)} if this and your other requests waiting are approved",
                )
            )
    says = [
        "Your request goes to your rota coordinator (medical staffing). They see its effect on the rota's cover and "
        "the rota's rule check, and approve or refuse it; you are told by email.",
        "If it is approved, your shifts in those days leave the rota, and your calendar changes with it.",
    ]
    if kind == LeaveKind.LIFE_EVENT and not short:
        says.insert(1, f"Leave for an important life event asked with {notice} weeks' notice must be allowed.")
    elif short:
        says.insert(1, "With short notice, it depends on cover being found.")
    return {"rows": rows, "facts": facts, "says": says}


def decision_form(leave: LeaveRequest, data: Any = None) -> DecisionForm:
    return DecisionForm(data, request=leave, refusable=not services.decision_missing(leave, approve=False))


def request_page(
    *, actor: Any, trust: Trust, leave: LeaveRequest, posted: tuple[str, forms.Form] | None = None
) -> dict[str, Any]:
    name, bound = posted or ("", None)
    is_doctor = leave.person_id == getattr(actor, "person_id", None)
    may_decide = can(actor, Perm.DECIDE_LEAVE, leave)
    coordinator = may_decide or (not is_doctor and can(actor, Perm.VIEW_LEAVE, leave))
    context: dict[str, Any] = {
        "current_trust": trust,
        "section": "rotas",
        "leave": leave,
        "is_doctor": is_doctor,
        "guaranteed": services.guaranteed(leave),
        "may_withdraw": can(actor, Perm.WITHDRAW_LEAVE, leave),
        "may_cancel": can(actor, Perm.CANCEL_LEAVE, leave),
        "may_decide": may_decide,
        "withdraw_form": WithdrawForm(),
        "cancel_form": bound if name == "cancel" else CancelForm(),
        "decision_form": (bound if name == "decide" else decision_form(leave)) if may_decide else None,
        "coordinator": coordinator,
        "today": dates.today(),
    }
    if coordinator:
        allowance = selectors.allowance(leave.person, leave.first_day)
        context |= {
            "allowance_rows": allowance_rows(allowance),
            "missing": allowance.missing,
            "to_confirm": to_confirm(allowance),
            "may_record": can(actor, Perm.MANAGE_LEAVE, trust),
        }
        if leave.to_decide and not leave.cancellation:
            context["cover"] = selectors.cover_effect(leave)
            context["check"] = selectors.rule_check(leave)
    return context


def render_request(
    request: HttpRequest, trust: Trust, leave: LeaveRequest, posted: tuple[str, forms.Form] | None = None
) -> HttpResponse:
    read(request.user, Perm.VIEW_LEAVE, leave, why="leave request read")
    if posted is not None:
        leave.refresh_from_db()
    return render(
        request, "leave/request.jinja", request_page(actor=request.user, trust=trust, leave=leave, posted=posted)
    )
