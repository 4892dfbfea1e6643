"""Writes to organisation data. Every one validates and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import dates
from medlead.core import services as core
from medlead.core.actors import SystemActor
from medlead.core.dates import today
from medlead.core.imports import KINDS
from medlead.core.layouts import layouts
from medlead.core.policy import Perm, require
from medlead.organisation.models import (
    TRAINEE_GRADES,
    BoardMember,
    BoardRole,
    ExceptionReportingBy,
    ImportLayout,
    Person,
    Placement,
    StaffKind,
    Trust,
)
from medlead.organisation.selectors import overlapping_placement


def person_create(*, actor: Any, trust: Trust, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, trust)
    return core.create(actor=actor, obj=Person(trust=trust, **data))


def person_update(*, actor: Any, person: Person, **data: Any) -> Person:
    require(actor, Perm.MANAGE_PEOPLE, person)
    return core.update(actor=actor, obj=person, data=data)


@transaction.atomic
def import_layout_save(*, actor: Any, trust: Trust, code: str, headings: dict[str, str]) -> Any:
    """The trust's own headings for a national layout, where its file names a column differently. A heading left
    empty goes back to medlead's default."""
    default = layouts()[code]
    require(actor, KINDS[default.kind].perm, trust)
    known = default.headings()
    unknown = sorted(set(headings) - set(known))
    if unknown:
        raise ValidationError(f"The {default.label} layout has no column {', '.join(unknown)}.")
    changed = {c: " ".join(h.split()) for c, h in headings.items() if h.strip() and " ".join(h.split()) != known[c]}
    too_long = [c for c, h in changed.items() if len(h) > 200]
    if too_long:
        raise ValidationError({too_long[0]: "A heading is at most 200 characters."})
    layout = ImportLayout.objects.select_for_update().filter(trust=trust, code=code).first()
    if layout is None:
        layout = core.create(actor=actor, obj=ImportLayout(trust=trust, code=code, headings=changed))
    else:
        layout = core.update(actor=actor, obj=layout, data={"headings": changed})
    return layout


# ------------------------------------------------------------------------------------------------ the board
#
# A seat that opens other people's confidential records (the chair; the senior independent director:
# ``BoardMember.opens_records``) is made only by the system or on a second approver's approval: a person asks for it
# through ``accounts.services.board_seat_add``, which makes an access request, and the approver's decision calls
# these with the request (docs/adr/0020). Ordinary seats and ending a term take effect at once, under
# ``Perm.MANAGE_BOARD``. Nobody changes their own seat.

REASON_MAX = 1000


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why: for example, the appointment and the date it was made."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"A reason is at most {REASON_MAX} characters."})
    return reason


def _waits(actor: Any, approval: Any, seat: BoardMember, opens_records: bool) -> bool:
    """A person's change that opens confidential records, not made on a second approver's approval (which must be
    about this seat's person, in this seat's trust)."""
    if approval is not None:
        asked = (getattr(approval, "person_id", None), getattr(approval, "trust_id", None))
        if asked != (seat.person_id, seat.trust_id):
            raise ValidationError("The approval is for another seat.")
        return False
    return opens_records and not isinstance(actor, SystemActor)


def board_seat_check(seat: BoardMember) -> None:
    """Whether a new seat can be made as things stand: its own fields (``full_clean``), one current seat a person
    and one chair a board at a time. Refusals are plain sentences (``ValidationError``)."""
    seat.full_clean()
    if not seat.person.active:
        raise ValidationError({"person": f"{seat.person.display_name} is no longer one of the trust's people."})
    current = BoardMember.objects.filter(trust_id=seat.trust_id, end__isnull=True)
    held = current.filter(person_id=seat.person_id).first()
    if held is not None:
        raise ValidationError(
            {"person": f"{seat.person.display_name} already sits on the board as {held.get_role_display().lower()}."}
        )
    if seat.role == BoardRole.CHAIR:
        chair = current.filter(role=BoardRole.CHAIR).select_related("person").first()
        if chair is not None:
            raise ValidationError(
                {"role": f"The board has a chair, {chair.person.display_name}: end their term first."}
            )


@transaction.atomic
def board_seat_create(*, actor: Any, seat: BoardMember, reason: str, approval: Any = None) -> BoardMember:
    """Make a new seat at once: an ordinary one under ``Perm.MANAGE_BOARD``; one that opens confidential records only
    as the system or with ``approval``, the access request a second approver has just approved."""
    reason = _reason(reason)
    if approval is None:
        require(actor, Perm.MANAGE_BOARD, seat)
    if _waits(actor, approval, seat, seat.opens_records):
        raise ValidationError(
            "This seat opens confidential records: it takes effect only when a second approver approves it."
        )
    board_seat_check(seat)
    if seat.senior_independent:
        _no_other_senior_independent(actor=actor, trust_id=seat.trust_id, note=reason)
    core.create(actor=actor, obj=seat, note=f"board seat: {reason}")
    return seat


@transaction.atomic
def board_seat_end(*, actor: Any, seat: BoardMember, end: Any, reason: str) -> BoardMember:
    """End a member's term, at once: from the next page the seat opens nothing. The date is on or before today."""
    reason = _reason(reason)
    require(actor, Perm.MANAGE_BOARD, seat)
    seat = BoardMember.objects.select_for_update().get(pk=seat.pk)
    if seat.end is not None:
        raise ValidationError("This term has already ended.")
    if end > today():
        raise ValidationError({"end": "A term is ended on the day it ends, not before: enter today or a past date."})
    if seat.start and end < seat.start:
        started = f"{seat.start.day} {seat.start:%B %Y}"
        raise ValidationError({"end": f"The term started on {started}: it cannot end before that."})
    core.update(actor=actor, obj=seat, data={"end": end}, note=f"board term ended: {reason}")
    return seat


def _no_other_senior_independent(*, actor: Any, trust_id: int, note: str, keep: int | None = None) -> None:
    others = BoardMember.objects.filter(trust_id=trust_id, senior_independent=True, end__isnull=True)
    if keep is not None:
        others = others.exclude(pk=keep)
    for other in others:
        core.update(actor=actor, obj=other, data={"senior_independent": False}, note=f"another named: {note}")


def senior_independent_check(seat: BoardMember) -> None:
    if seat.end is not None:
        raise ValidationError("This member's term has ended.")
    if seat.role != BoardRole.NON_EXECUTIVE:
        raise ValidationError("The senior independent director is one of the non-executive directors.")
    if seat.senior_independent:
        raise ValidationError("This member is already the senior independent director.")


@transaction.atomic
def senior_independent_set(*, actor: Any, seat: BoardMember, reason: str, approval: Any = None) -> BoardMember:
    """Name a current non-executive director the senior independent director (who signs off the chair's fit and
    proper assessment); whoever held it stops. Only as the system or with ``approval`` (see ``board_seat_create``)."""
    reason = _reason(reason)
    if approval is None:
        require(actor, Perm.MANAGE_BOARD, seat)
    seat = BoardMember.objects.select_for_update().get(pk=seat.pk)
    if _waits(actor, approval, seat, True):
        raise ValidationError(
            "The senior independent director opens confidential records: naming one takes effect "
            "only when a second approver approves it."
        )
    senior_independent_check(seat)
    _no_other_senior_independent(actor=actor, trust_id=seat.trust_id, note=reason, keep=seat.pk)
    core.update(actor=actor, obj=seat, data={"senior_independent": True}, note=f"senior independent director: {reason}")
    return seat


# --- issue 34: lead employers and host trusts (placements) --------------------------------------------------------
#
# The lead employer's medical staffing records a placement of one of its resident doctors in a host trust. The
# doctor's record at the host is found by GMC number among the host's people, or made there with their name, GMC
# number and grade only: the host learns that person and nothing else of the lead employer's records (ADR 0035).


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%B %Y}"


def placement_problems(
    *, lead_employer: Trust, employee: Person, host: Trust, starts_on: dt.date, ends_on: dt.date
) -> dict[str | None, str]:
    """What stops this placement being recorded, by field (None for the whole form); empty when nothing does."""
    problems: dict[str | None, str] = {}
    if employee.trust_id != lead_employer.pk or not employee.active:
        problems["employee"] = "Choose one of your trust's resident doctors."
    elif employee.kind != StaffKind.DOCTOR or employee.grade not in TRAINEE_GRADES:
        problems["employee"] = (
            f"{employee.display_name} is not a resident doctor (a doctor in training): only resident doctors are "
            "placed in host trusts."
        )
    elif not employee.gmc_number:
        problems["employee"] = f"Record {employee.display_name}'s GMC number first: the host finds them by it."
    if host.pk == lead_employer.pk:
        problems["host"] = "Choose another trust: a placement is in a host trust other than your own."
    if ends_on < starts_on:
        problems["ends_on"] = "The placement must end on or after the day it starts."
    if not problems:
        other = overlapping_placement(employee=employee, starts_on=starts_on, ends_on=ends_on)
        if other is not None:
            problems["starts_on"] = (
                f"{employee.display_name} is already placed in {other.host.name} from {_day(other.starts_on)} to "
                f"{_day(other.ends_on)}: a doctor is placed in one host at a time."
            )
    return problems


def _host_record(*, actor: Any, host: Trust, employee: Person) -> Person:
    """The doctor's record at the host: the host's person with the same GMC number (brought back if it had been
    marked as having left), else a new one with the doctor's name, GMC number and grade, and nothing else."""
    found = Person.objects.select_for_update().filter(trust=host, gmc_number=employee.gmc_number).first()
    if found is None:
        made = Person(
            trust=host,
            kind=StaffKind.DOCTOR,
            first_name=employee.first_name,
            last_name=employee.last_name,
            gmc_number=employee.gmc_number,
            grade=employee.grade,
        )
        return core.create(actor=actor, obj=made, note="placement: the placed doctor's record at the host")
    if found.kind != StaffKind.DOCTOR:
        raise ValidationError(
            {"employee": f"{host.name} holds GMC number {employee.gmc_number} for someone who is not a doctor."}
        )
    if not found.active:
        core.update(actor=actor, obj=found, data={"active": True}, note="placement: the placed doctor is back")
    return found


@transaction.atomic
def placement_record(
    *,
    actor: Any,
    lead_employer: Trust,
    employee: Person,
    host: Trust,
    starts_on: dt.date,
    ends_on: dt.date,
    exception_reporting: str,
) -> Placement:
    """Record a placement of one of the lead employer's resident doctors in a host trust, with the arrangement for
    their exception reports (``ExceptionReportingBy``): under ``Perm.MANAGE_PLACEMENTS``, never of oneself."""
    require(actor, Perm.MANAGE_PLACEMENTS, lead_employer)
    if exception_reporting not in ExceptionReportingBy.values:
        raise ValidationError({"exception_reporting": "Choose whose guardian receives the exception reports."})
    problems = placement_problems(
        lead_employer=lead_employer, employee=employee, host=host, starts_on=starts_on, ends_on=ends_on
    )
    if problems:
        raise ValidationError({k or "__all__": v for k, v in problems.items()})
    placement = Placement(
        lead_employer=lead_employer,
        host=host,
        employee=employee,
        starts_on=starts_on,
        ends_on=ends_on,
        exception_reporting=exception_reporting,
    )
    require(actor, Perm.MANAGE_PLACEMENTS, placement)  # never a placement of oneself
    placement.placed_as = _host_record(actor=actor, host=host, employee=employee)
    other = overlapping_placement(placed_as=placement.placed_as, starts_on=starts_on, ends_on=ends_on)
    if other is not None:
        raise ValidationError(
            {
                "starts_on": f"{employee.display_name} is already placed in {host.name} from "
                f"{_day(other.starts_on)} to {_day(other.ends_on)}."
            }
        )
    return core.create(actor=actor, obj=placement)


def placement_end_problem(*, placement: Placement, ends_on: dt.date, today: dt.date) -> str:
    """Why a placement cannot end early on ``ends_on``, or "": not before today (reports already made under it keep
    their guardians), not before it starts, and before the day it was to end."""
    if placement.ends_on < today:
        return f"This placement ended on {_day(placement.ends_on)}."
    if ends_on >= placement.ends_on:
        return f"To end it early, give a day before {_day(placement.ends_on)}, the day it was to end."
    if ends_on < placement.starts_on:
        return f"The placement starts on {_day(placement.starts_on)}: it cannot end before that."
    if ends_on < today:
        return (
            "A placement is ended from today or a later day: exception reports already made under it keep the "
            "guardians it named."
        )
    return ""


@transaction.atomic
def placement_end(*, actor: Any, placement: Placement, ends_on: dt.date, today: dt.date | None = None) -> Placement:
    """End a placement early: its last day becomes ``ends_on`` (``placement_end_problem`` says when it cannot)."""
    require(actor, Perm.MANAGE_PLACEMENTS, placement)
    placement = Placement.objects.select_for_update().select_related("lead_employer", "host").get(pk=placement.pk)
    problem = placement_end_problem(placement=placement, ends_on=ends_on, today=today or dates.today())
    if problem:
        raise ValidationError({"ends_on": problem})
    return core.update(actor=actor, obj=placement, data={"ends_on": ends_on}, note="placement ended early")
