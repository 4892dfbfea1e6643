"""Writing leave: a doctor's request, its withdrawal or cancellation, the coordinator's decision (approval removes
the doctor's duties in those days from the rota, audited, and checks the rota again) and the coordinator's record of
a doctor's service. Each write is audited; emails go after the commit (``core.notify``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse

from medlead.accounts.models import Role, User
from medlead.core import audit as auditor
from medlead.core import dates, notify
from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.leave import selectors
from medlead.leave.entitlement import short_notice
from medlead.leave.models import STANDING, LeaveKind, LeaveRecord, LeaveRequest, LeaveStatus
from medlead.organisation.models import Person, Trust
from medlead.rota.models import Rota, RotaMember
from medlead.rota.services import rota_check

LONGEST_DAYS = 92  # one request covers at most about three months; longer leave is asked in parts
REASON_MAX = 2000


def _link(request: LeaveRequest) -> str:
    return settings.MEDLEAD_BASE_URL + reverse(
        "leave:request", kwargs={"trust_code": request.trust.code, "pk": request.pk}
    )


def _coordinators(trust_id: int) -> list[str]:
    """The addresses of the trust's rota coordinators (medical staffing)."""
    return list(
        User.objects.filter(
            role_assignments__role=Role.MEDICAL_STAFFING, role_assignments__trust_id=trust_id, is_active=True
        )
        .exclude(email="")
        .values_list("email", flat=True)
        .distinct()
    )


def notice_is_short(*, trust: Trust, first_day: dt.date, asked_on: dt.date) -> bool:
    return short_notice(
        asked_on=asked_on, first_day=first_day, notice_weeks=selectors.terms(trust, asked_on).terms.notice_weeks
    )


def request_problems(
    *, person: Person, rota: Rota, kind: str, first_day: dt.date, last_day: dt.date, reason: str
) -> dict[str, str]:
    """Why a request cannot be made (by field), or nothing: shared by the form's check page and the service."""
    problems: dict[str, str] = {}
    today = dates.today()
    if rota.trust_id != person.trust_id or not RotaMember.objects.filter(rota=rota, person=person).exists():
        problems["rota"] = "Choose one of your rotas."
    if kind not in LeaveKind.values:
        problems["kind"] = "Choose the kind of leave."
    if first_day < today:
        problems["first_day"] = "The first day must be today or later."
    if last_day < first_day:
        problems["last_day"] = "The last day cannot be before the first."
    elif (last_day - first_day).days + 1 > LONGEST_DAYS:
        problems["last_day"] = f"Ask for at most {LONGEST_DAYS} days at a time; ask for longer leave in parts."
    if kind == LeaveKind.LIFE_EVENT and not reason.strip():
        problems["reason"] = "Say what the life event is: you decide what counts as one."
    if "first_day" not in problems and "last_day" not in problems:
        overlap = LeaveRequest.objects.filter(
            person=person, status__in=STANDING, first_day__lte=last_day, last_day__gte=first_day
        ).first()
        if overlap is not None:
            problems["first_day"] = (
                f"You already have leave from {overlap.first_day:%-d %B %Y} to {overlap.last_day:%-d %B %Y} in "
                "these days: withdraw or cancel it first."
            )
    return problems


@transaction.atomic
def submit(
    *, actor: Any, person: Person, rota: Rota, kind: str, first_day: dt.date, last_day: dt.date, reason: str = ""
) -> LeaveRequest:
    """A doctor asks for leave. The rota coordinators are told once, with the link."""
    require(actor, Perm.REQUEST_LEAVE, person)
    problems = request_problems(
        person=person, rota=rota, kind=kind, first_day=first_day, last_day=last_day, reason=reason
    )
    if problems:
        raise ValidationError(problems)
    request = core.create(
        actor=actor,
        obj=LeaveRequest(
            trust_id=person.trust_id,
            person=person,
            rota=rota,
            kind=kind,
            first_day=first_day,
            last_day=last_day,
            days=selectors.days_of(person.trust_id, first_day, last_day),
            short_notice=notice_is_short(trust=person.trust, first_day=first_day, asked_on=dates.today()),
            reason=reason.strip()[:REASON_MAX],
        ),
    )
    notify.email(
        _coordinators(person.trust_id),
        subject="A leave request is waiting for your decision",
        body=(
            f"{person.display_name} asks for {request.get_kind_display().lower()} from "
            f"{first_day:%-d %B %Y} to {last_day:%-d %B %Y} on {rota.name}"
            f"{' (short notice)' if request.short_notice else ''}.\n\n"
            f"See its effect on cover and decide: {_link(request)}"
        ),
    )
    return request


@transaction.atomic
def withdraw(*, actor: Any, request: LeaveRequest) -> LeaveRequest:
    request = LeaveRequest.objects.select_for_update().get(pk=request.pk)
    require(actor, Perm.WITHDRAW_LEAVE, request)
    return core.update(actor=actor, obj=request, data={"status": LeaveStatus.WITHDRAWN}, note="withdrawn by the doctor")


@transaction.atomic
def ask_cancel(*, actor: Any, request: LeaveRequest, reason: str) -> LeaveRequest:
    """The doctor asks to cancel approved leave: the coordinator decides (the leave stands meanwhile)."""
    request = LeaveRequest.objects.select_for_update().select_related("trust", "person", "rota").get(pk=request.pk)
    require(actor, Perm.CANCEL_LEAVE, request)
    request = core.update(
        actor=actor,
        obj=request,
        data={"status": LeaveStatus.CANCEL_ASKED, "cancel_reason": reason.strip()[:REASON_MAX]},
        note="cancellation asked by the doctor",
    )
    notify.email(
        _coordinators(request.trust_id),
        subject="A doctor asks to cancel approved leave",
        body=(
            f"{request.person.display_name} asks to cancel their leave from {request.first_day:%-d %B %Y} to "
            f"{request.last_day:%-d %B %Y} on {request.rota.name}.\n\nDecide: {_link(request)}"
        ),
    )
    return request


def guaranteed(request: LeaveRequest) -> bool:
    """Annual leave for an important life event asked with the terms' notice: the employer must allow it."""
    return request.life_event and not request.short_notice


def decision_missing(request: LeaveRequest, approve: bool) -> list[str]:
    """What stops the decision (shared by the page, the check page and the service)."""
    if not request.to_decide:
        return ["The request has already been decided."]
    if not approve and not request.cancellation and guaranteed(request):
        return ["Leave for an important life event asked with the terms' notice must be allowed: it cannot be refused."]
    return []


@transaction.atomic
def decide(*, actor: Any, request: LeaveRequest, approve: bool, reason: str = "") -> LeaveRequest:
    """The coordinator's decision on a request (or on a cancellation). Approving leave removes the doctor's duties
    on the rota in those days (each audited) and checks the rota again; the doctor is told."""
    request = LeaveRequest.objects.select_for_update().select_related("trust", "person", "rota").get(pk=request.pk)
    require(actor, Perm.DECIDE_LEAVE, request)
    missing = decision_missing(request, approve)
    if missing:
        raise ValidationError(missing)
    if not approve and not reason.strip():
        raise ValidationError({"reason": "Give the reason: the doctor reads it."})
    cancellation = request.cancellation
    if cancellation:
        status = LeaveStatus.CANCELLED if approve else LeaveStatus.APPROVED
    else:
        status = LeaveStatus.APPROVED if approve else LeaveStatus.REFUSED
    request = core.update(
        actor=actor,
        obj=request,
        data={
            "status": status,
            "decided_by": actor if isinstance(actor, User) else None,
            "decided_at": dates.now(),
            "decision_reason": reason.strip()[:REASON_MAX],
        },
        note="cancellation decided" if cancellation else "leave decided",
    )
    removed = 0
    if status == LeaveStatus.APPROVED and not cancellation:
        for duty in selectors.duties_in_leave(request):
            auditor.audit_delete(actor=actor, obj=duty, note=f"the doctor's approved leave (request {request.pk})")
            duty.delete()
            removed += 1
        if removed:
            rota_check(rota=request.rota)
    what = "cancellation of your leave" if cancellation else request.get_kind_display().lower()
    verdict = "approved" if approve else ("refused" if not cancellation else "not agreed: your leave stands")
    body = f"Your request for {what} from {request.first_day:%-d %B %Y} to {request.last_day:%-d %B %Y} was {verdict}."
    if reason.strip():
        body += f"\n\nThe reason: {reason.strip()}"
    if removed:
        body += f"\n\nYour {removed} {'duty' if removed == 1 else 'duties'} in those days left the rota."
    if cancellation and approve:
        body += "\n\nThe rota coordinator will put you back on the rota for those days where you are needed."
    notify.email_people(
        [request.person], subject=f"Your leave request was {verdict.split(':')[0]}", body=body + f"\n\n{_link(request)}"
    )
    return request


@transaction.atomic
def record_save(
    *,
    actor: Any,
    person: Person,
    nhs_service_from: dt.date | None,
    appointed_on: dt.date | None,
    carried_over: Decimal = Decimal(0),
    carried_into: dt.date | None = None,
) -> LeaveRecord:
    """The coordinator records what the entitlement needs that the person record lacks."""
    require(actor, Perm.MANAGE_LEAVE, person.trust)
    data = {
        "nhs_service_from": nhs_service_from,
        "appointed_on": appointed_on,
        "carried_over": carried_over,
        "carried_into": carried_into,
    }
    record = LeaveRecord.objects.select_for_update().filter(person=person).first()
    if record is None:
        return core.create(actor=actor, obj=LeaveRecord(trust_id=person.trust_id, person=person, **data))
    return core.update(actor=actor, obj=record, data=data)
