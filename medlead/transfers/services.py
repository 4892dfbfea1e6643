"""Writes for information transfers, each validated, checked against the policy and its workflow, and audited (the
answers, the request's note and the reasons withheld from the trail: ``InformationTransfer.audit_safe``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import notify
from medlead.core import services as core
from medlead.core.policy import Perm, person_id, require
from medlead.organisation.models import Person, StaffKind, Trust
from medlead.transfers import content, selectors
from medlead.transfers.models import InformationTransfer, Status
from medlead.transfers.workflows import INFORMATION_TRANSFER


def _on(day: dt.date) -> str:
    return f"{day:%-d %B %Y}"


def request_problems(
    *, actor: Any, trust: Trust, doctor: Person, previous_trust: Trust, joined_on: dt.date, today: dt.date
) -> dict[str, str]:
    """Why this request cannot be made (field: sentence), or nothing: checked before the answers are shown for
    checking, and again when they are confirmed."""
    errors: dict[str, str] = {}
    if doctor.trust_id != trust.pk or doctor.kind != StaffKind.DOCTOR or not doctor.gmc_number:
        errors["doctor"] = "Choose one of the trust's doctors with a GMC number."
    elif doctor.pk == person_id(actor):
        errors["doctor"] = "You cannot ask for your own information transfer: another responsible officer does."
    if previous_trust.pk == trust.pk:
        errors["previous_trust"] = "Choose the doctor's previous designated body, not this trust."
    if joined_on > today:
        errors["joined_on"] = (
            "Ask once the doctor has joined: the previous responsible officer shares this information only after the "
            "doctor's connection has moved to you, never before they start."
        )
    if "doctor" not in errors and "previous_trust" not in errors:
        earlier = (
            InformationTransfer.objects.filter(
                trust=trust, doctor=doctor, previous_trust=previous_trust, status__in=[Status.REQUESTED, Status.SENT]
            )
            .order_by("-requested_on")
            .first()
        )
        if earlier is not None and earlier.waiting:
            errors["previous_trust"] = (
                f"You asked {previous_trust.name} for this doctor's information transfer on "
                f"{_on(earlier.requested_on)}, and it is still waiting."
            )
        elif earlier is not None:
            errors["previous_trust"] = (
                f"{previous_trust.name} sent this doctor's information transfer on {_on(earlier.sent_on or today)}."
            )
    return errors


@transaction.atomic
def request(
    *,
    actor: Any,
    trust: Trust,
    doctor: Person,
    previous_trust: Trust,
    joined_on: dt.date,
    note: str = "",
    today: dt.date,
) -> InformationTransfer:
    """The trust's responsible officer asks the doctor's previous designated body for their information transfer, on
    the form in force today; the doctor's record there (by GMC number), if it holds one, is linked for medlead's
    facts."""
    require(actor, Perm.REQUEST_INFORMATION_TRANSFER, trust)
    errors = request_problems(
        actor=actor, trust=trust, doctor=doctor, previous_trust=previous_trust, joined_on=joined_on, today=today
    )
    if errors:
        raise ValidationError(errors)
    return core.create(
        actor=actor,
        obj=InformationTransfer(
            trust=trust,
            previous_trust=previous_trust,
            doctor=doctor,
            previous_person=selectors.record_in(trust=previous_trust, gmc_number=doctor.gmc_number),
            requested_by=actor,
            requested_on=today,
            joined_on=joined_on,
            note=note.strip(),
            form=content.in_force_on(today).code,
        ),
        note="information transfer asked for",
    )


def kept(transfer: InformationTransfer, given: Mapping[str, Any]) -> dict[str, Any]:
    """The answers to keep: only the form's own questions (and the details of a yes), dates as ISO dates."""
    found: dict[str, Any] = {}
    for q in content.named(transfer.form).questions:
        value = given.get(q.code)
        if isinstance(value, dt.date):
            value = value.isoformat()
        if value not in (None, "", False):
            found[q.code] = value.strip() if isinstance(value, str) else value
        if q.kind == "yes_no" and value == content.YES and given.get(q.details_code):
            found[q.details_code] = str(given[q.details_code]).strip()
    return found


def draft_save(*, actor: Any, transfer: InformationTransfer, answers: Mapping[str, Any]) -> InformationTransfer:
    """The previous responsible officer saves what they have answered so far, to come back to."""
    INFORMATION_TRANSFER.require_edit(actor, transfer)
    return core.update(actor=actor, obj=transfer, data={"answers": kept(transfer, answers)}, note="draft saved")


def send(
    *, actor: Any, transfer: InformationTransfer, answers: Mapping[str, Any], today: dt.date
) -> InformationTransfer:
    """The previous responsible officer sends the completed transfer: from now on only the asking trust's responsible
    officer reads it. The doctor is told by email that it was sent (never what it says)."""
    INFORMATION_TRANSFER.move(actor, transfer, Status.SENT)
    answers_kept = kept(transfer, answers)
    missing = [q.label for q in content.named(transfer.form).questions if q.required and q.code not in answers_kept]
    if missing:
        raise ValidationError(f"Answer every question before sending it: {missing[0]}")
    with transaction.atomic():
        sent = core.update(
            actor=actor,
            obj=transfer,
            data={
                "answers": answers_kept,
                "status": Status.SENT,
                "sent_by": actor,
                "sent_on": today,
                "closed_on": today,
            },
            note="information transfer sent",
        )
        notify.email_people(
            [transfer.doctor],
            subject="Your information transfer has been sent to your new responsible officer",
            body=(
                f"Dear {transfer.doctor.display_name},\n\n"
                f"The responsible officer of {transfer.previous_trust.name}, your previous designated body, sent your "
                f"Medical Practice Information Transfer to the responsible officer of {transfer.trust.name} on "
                f"{_on(today)}. Your new responsible officer asked for it on {_on(transfer.requested_on)}, as "
                "responsible officers do when a doctor's prescribed connection moves.\n\n"
                f"Only the responsible officer of {transfer.trust.name} reads it. You can see when it was asked for "
                "and sent in medlead, under your information transfers; to know what it says, ask either responsible "
                "officer.\n"
            ),
        )
    return sent


def not_connected(*, actor: Any, transfer: InformationTransfer, reason: str, today: dt.date) -> InformationTransfer:
    """The previous responsible officer declines: the doctor was not connected to their designated body."""
    INFORMATION_TRANSFER.move(actor, transfer, Status.NOT_CONNECTED)
    if not reason.strip():
        raise ValidationError({"reason": "Say why: for example, where the doctor was connected instead."})
    return core.update(
        actor=actor,
        obj=transfer,
        data={"status": Status.NOT_CONNECTED, "reason": reason.strip(), "closed_on": today, "answers": {}},
        note="declined: not connected",
    )


def withdraw(*, actor: Any, transfer: InformationTransfer, reason: str, today: dt.date) -> InformationTransfer:
    """The asking trust's responsible officer withdraws a request that still waits."""
    INFORMATION_TRANSFER.move(actor, transfer, Status.WITHDRAWN)
    if not reason.strip():
        raise ValidationError({"reason": "Say why you are withdrawing it."})
    return core.update(
        actor=actor,
        obj=transfer,
        data={"status": Status.WITHDRAWN, "reason": reason.strip(), "closed_on": today, "answers": {}},
        note="request withdrawn",
    )


def first_read(*, actor: Any, transfer: InformationTransfer, today: dt.date) -> InformationTransfer:
    """The asking trust's responsible officer has read it (the read itself is audited by ``policy.read``): noted once,
    so that it leaves their "what needs you"."""
    require(actor, Perm.READ_INFORMATION_TRANSFER, transfer)
    if transfer.first_read_on is not None:
        return transfer
    return core.update(actor=actor, obj=transfer, data={"first_read_on": today}, note="first read")
