"""Changing what an account reaches: its roles, its person link, its single sign-on identifier and whether it is
active. Every change is made here, under the policy (``Perm.CHANGE_ACCESS``), with a reason, and audited.

A change that opens confidential records (a role in ``SENSITIVE_ROLES``, every person link, a sign-on identifier
or reactivation for an account that holds either) made by a person is not made at once: it becomes an
``AccessRequest`` that a second authorised person approves (issue 29); the trust's Caldicott guardian is told by
email. Removing access (a role, a person link, deactivation) takes effect at once. The system (the demo, the first
administrator's bootstrap) acts as a ``SystemActor`` and is not asked for a second approver: the code that made it
has decided."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.accounts.models import SENSITIVE_ROLES, AccessRequest, AccessTarget, Role, RoleAssignment, User
from medlead.core import audit as auditor
from medlead.core import dates, notify, policy
from medlead.core.actors import SystemActor
from medlead.core.policy import Perm, require
from medlead.organisation import services as organisation
from medlead.organisation.models import BoardMember

REASON_MAX = 1000
Kind = AccessRequest.Kind
Status = AccessRequest.Status


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Say why this change is needed."})
    if len(reason) > REASON_MAX:
        raise ValidationError({"reason": f"A reason is at most {REASON_MAX} characters."})
    return reason


def _note(what: str, reason: str) -> str:
    return f"{what}: {reason}"


def _by_a_person(actor: Any) -> bool:
    return not isinstance(actor, SystemActor)


def opens_confidential_records(account: User) -> bool:
    """The account holds a sensitive role or is linked to a person: a way into it is itself a sensitive grant."""
    return account.person_id is not None or account.role_assignments.filter(role__in=SENSITIVE_ROLES).exists()


def _pending(account: User | None, **what: Any) -> bool:
    return AccessRequest.objects.filter(account=account, status=Status.PENDING, **what).exists()


def _ask(*, actor: Any, account: User | None, kind: str, reason: str, trust: Any = None, **what: Any) -> AccessRequest:
    """A request for a second approver, audited; the trust's Caldicott guardian is told by email."""
    if _pending(account, kind=kind, **what):
        raise ValidationError("The same change is already waiting for a second approver.")
    req = AccessRequest.objects.create(
        trust=trust, account=account, kind=kind, reason=reason, requested_by=actor, requested_at=dates.now(), **what
    )
    auditor.audit_create(actor=actor, obj=req, note="access requested: waits for a second approver")
    if trust is not None:
        guardians = User.objects.filter(
            is_active=True, role_assignments__role=Role.CALDICOTT_GUARDIAN, role_assignments__trust=trust
        ).distinct()
        notify.email(
            (g.email for g in guardians),
            person_ids=(g.person_id for g in guardians),
            subject=f"medlead: a grant of access waits for approval in {trust}",
            body=(
                f"{actor} asked for a change to the access of {req.about}: {req.what}.\n\n"
                "It opens confidential records, so it takes effect only when a second authorised person approves "
                f"it. As the trust's Caldicott guardian you see every such grant; open medlead and go to "
                f"Access, then Grants of access, for {trust.code}."
            ),
        )
    return req


# --------------------------------------------------------------------------------------------------- roles


@transaction.atomic
def role_grant(
    *, actor: Any, user: User, role: str, trust: Any = None, region: Any = None, reason: str
) -> RoleAssignment | AccessRequest:
    """Give ``user`` a role over one trust, one region, or (neither) the whole country. A sensitive role asked for
    by a person becomes a request for a second approver."""
    reason = _reason(reason)
    if role not in Role.values:
        raise ValidationError({"role": f"'{role}' is not a role. Roles: {', '.join(Role.values)}."})
    if trust is not None and region is not None:
        raise ValidationError("A role is held over a trust, a region or the country: not a trust and a region.")
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=trust, region=region))
    if RoleAssignment.objects.filter(user=user, role=role, trust=trust, region=region).exists():
        raise ValidationError({"role": f"{user.username} already holds this role there."})
    if role in SENSITIVE_ROLES and _by_a_person(actor):
        return _ask(
            actor=actor,
            account=user,
            kind=Kind.ROLE,
            reason=reason,
            trust=trust,
            role=role,
            role_trust=trust,
            role_region=region,
        )
    return _grant(actor=actor, user=user, role=role, trust=trust, region=region, note=_note("role granted", reason))


def _grant(*, actor: Any, user: User, role: str, trust: Any, region: Any, note: str) -> RoleAssignment:
    grant = RoleAssignment.objects.create(user=user, role=role, trust=trust, region=region)
    auditor.audit_create(actor=actor, obj=grant, note=note)
    policy.forget(user)
    return grant


@transaction.atomic
def role_revoke(*, actor: Any, user: User, role: str, trust: Any = None, region: Any = None, reason: str) -> int:
    """Take a role away, at once."""
    reason = _reason(reason)
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=trust, region=region))
    removed = 0
    for grant in RoleAssignment.objects.filter(user=user, role=role, trust=trust, region=region):
        auditor.audit_delete(actor=actor, obj=grant, note=_note("role removed", reason))
        grant.delete()
        removed += 1
    policy.forget(user)
    return removed


# -------------------------------------------------------------------------------------------- person link


@transaction.atomic
def person_link(*, actor: Any, user: User, person: Any, reason: str) -> User | AccessRequest:
    """Link an account to a person of a trust. A person may be named on an MHPS case or sit on the board, so a link
    asked for by a person always waits for a second approver."""
    reason = _reason(reason)
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=person.trust))
    if user.person_id is not None:
        raise ValidationError({"person": "This account is already linked to a person: unlink it first."})
    if User.objects.filter(person=person).exclude(pk=user.pk).exists():
        raise ValidationError({"person": "This person is already linked to another account."})
    if _by_a_person(actor):
        return _ask(actor=actor, account=user, kind=Kind.PERSON, reason=reason, trust=person.trust, person=person)
    return _link(actor=actor, user=user, person=person, note=_note("person linked", reason))


def _link(*, actor: Any, user: User, person: Any, note: str) -> User:
    before = auditor.snapshot(user)
    user.person = person
    user.save(update_fields=["person"])
    auditor.audit_update(actor=actor, obj=user, before=before, note=note)
    policy.forget(user)
    return user


@transaction.atomic
def person_unlink(*, actor: Any, user: User, reason: str) -> User:
    """Take an account's person link away, at once."""
    reason = _reason(reason)
    if user.person_id is None:
        raise ValidationError("This account is not linked to a person.")
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=user.person.trust))  # type: ignore[union-attr]
    before = auditor.snapshot(user)
    user.person = None
    user.save(update_fields=["person"])
    auditor.audit_update(actor=actor, obj=user, before=before, note=_note("person unlinked", reason))
    policy.forget(user)
    return user


# ---------------------------------------------------------------------------------- single sign-on, activity


def _sso_checked(user: User, subject: str) -> str:
    subject = subject.strip()
    if len(subject) > 255:
        raise ValidationError({"sso_subject": "A single sign-on identifier is at most 255 characters."})
    if subject and User.objects.filter(sso_subject=subject).exclude(pk=user.pk).exists():
        raise ValidationError({"sso_subject": "This single sign-on identifier is already linked to another account."})
    return subject


@transaction.atomic
def sso_link(*, actor: Any, user: User, subject: str, reason: str, trust: Any = None) -> User | AccessRequest:
    """Link an account to the identity provider's identifier for its holder (blank unlinks it). One identifier opens
    one account. Whoever signs in with the identifier is the account, so for an account that opens confidential
    records a person's change waits for a second approver."""
    reason = _reason(reason)
    subject = _sso_checked(user, subject)
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=trust, whole_account=True))
    if subject and _by_a_person(actor) and opens_confidential_records(user):
        return _ask(actor=actor, account=user, kind=Kind.SSO, reason=reason, trust=trust, sso_subject=subject)
    return _set_sso(actor=actor, user=user, subject=subject, note=_note("single sign-on link", reason))


def _set_sso(*, actor: Any, user: User, subject: str, note: str) -> User:
    before = auditor.snapshot(user)
    user.sso_subject = subject or None
    user.save(update_fields=["sso_subject"])
    auditor.audit_update(actor=actor, obj=user, before=before, note=note)
    return user


@transaction.atomic
def deactivate(*, actor: Any, user: User, reason: str, trust: Any = None) -> User:
    """Close an account, at once: it signs in no more and reaches nothing. Its history is kept."""
    reason = _reason(reason)
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=trust, whole_account=True))
    if not user.is_active:
        raise ValidationError("This account is already deactivated.")
    return _set_active(actor=actor, user=user, active=False, note=_note("account deactivated", reason))


@transaction.atomic
def reactivate(*, actor: Any, user: User, reason: str, trust: Any = None) -> User | AccessRequest:
    """Open a deactivated account again; for one that opens confidential records, after a second approver."""
    reason = _reason(reason)
    require(actor, Perm.CHANGE_ACCESS, AccessTarget(user, trust=trust, whole_account=True))
    if user.is_active:
        raise ValidationError("This account is already active.")
    if _by_a_person(actor) and opens_confidential_records(user):
        return _ask(actor=actor, account=user, kind=Kind.REACTIVATE, reason=reason, trust=trust)
    return _set_active(actor=actor, user=user, active=True, note=_note("account reactivated", reason))


def _set_active(*, actor: Any, user: User, active: bool, note: str) -> User:
    before = auditor.snapshot(user)
    user.is_active = active
    user.save(update_fields=["is_active"])
    auditor.audit_update(actor=actor, obj=user, before=before, note=note)
    return user


# ------------------------------------------------------------------------------------------ board seats
#
# The board's register (fitproper's pages) changes seats through these. A seat that opens others' confidential
# records (``BoardMember.opens_records``: the chair; the senior independent director) asked for by a person waits
# for a second approver like a sensitive role; the approver's decision makes it through ``organisation.services``
# (docs/adr/0020). Ordinary seats are made at once; ending a term is ``organisation.services.board_seat_end``.


@transaction.atomic
def board_seat_add(*, actor: Any, seat: BoardMember, reason: str) -> BoardMember | AccessRequest:
    """Seat a person on the board: at once, or, for a seat that opens confidential records, as a request."""
    reason = _reason(reason)
    require(actor, Perm.MANAGE_BOARD, seat)
    organisation.board_seat_check(seat)
    if not (seat.opens_records and _by_a_person(actor)):
        return organisation.board_seat_create(actor=actor, seat=seat, reason=reason)
    if AccessRequest.objects.filter(
        kind=Kind.BOARD_SEAT, status=Status.PENDING, trust_id=seat.trust_id, person_id=seat.person_id
    ).exists():
        raise ValidationError("A seat for this person is already waiting for a second approver.")
    return _ask(
        actor=actor,
        account=None,
        kind=Kind.BOARD_SEAT,
        reason=reason,
        trust=seat.trust,
        person=seat.person,
        board_role=seat.role,
        seat_start=seat.start,
        seat_term_ends=seat.term_ends,
        seat_interim=seat.interim,
        seat_voting=seat.voting,
        seat_senior_independent=seat.senior_independent,
    )


@transaction.atomic
def senior_independent_name(*, actor: Any, seat: BoardMember, reason: str) -> BoardMember | AccessRequest:
    """Name a non-executive director the senior independent director: a request for a second approver when a
    person asks (the seat signs off the chair's fit and proper assessment)."""
    reason = _reason(reason)
    require(actor, Perm.MANAGE_BOARD, seat)
    organisation.senior_independent_check(seat)
    if not _by_a_person(actor):
        return organisation.senior_independent_set(actor=actor, seat=seat, reason=reason)
    return _ask(
        actor=actor,
        account=None,
        kind=Kind.SENIOR_INDEPENDENT,
        reason=reason,
        trust=seat.trust,
        person=seat.person,
        board_seat=seat,
    )


def _apply_seat(req: AccessRequest, *, actor: Any, note: str) -> None:
    if req.kind == Kind.BOARD_SEAT:
        seat = BoardMember(
            trust=req.trust,
            person=req.person,
            role=req.board_role,
            start=req.seat_start,
            term_ends=req.seat_term_ends,
            interim=req.seat_interim,
            voting=req.seat_voting,
            senior_independent=req.seat_senior_independent,
        )
        organisation.board_seat_create(actor=actor, seat=seat, reason=note, approval=req)
    else:
        assert req.board_seat is not None
        organisation.senior_independent_set(actor=actor, seat=req.board_seat, reason=note, approval=req)


# ------------------------------------------------------------------------------------ deciding a request


def _decided(req: AccessRequest, *, actor: Any, status: str, note: str) -> AccessRequest:
    before = auditor.snapshot(req)
    req.status, req.decided_by, req.decided_at, req.decision_note = status, actor, dates.now(), note
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    auditor.audit_update(actor=actor, obj=req, before=before, note=f"access request {req.get_status_display()}")
    return req


def _apply(req: AccessRequest, *, actor: Any) -> None:
    """Make the change a request asked for, checked again as things stand now."""
    note = f"access request {req.pk} approved (asked by {req.requested_by})"
    if req.kind in (Kind.BOARD_SEAT, Kind.SENIOR_INDEPENDENT):
        _apply_seat(req, actor=actor, note=note)
        return
    if req.account_id is None:
        raise ValidationError("This request names no account.")
    account = User.objects.select_for_update(of=("self",)).get(pk=req.account_id)
    if req.kind == Kind.ROLE:
        if not RoleAssignment.objects.filter(
            user=account, role=req.role, trust=req.role_trust, region=req.role_region
        ).exists():
            _grant(actor=actor, user=account, role=req.role, trust=req.role_trust, region=req.role_region, note=note)
    elif req.kind == Kind.PERSON:
        if account.person_id is not None:
            raise ValidationError("The account has been linked to a person since: unlink it first.")
        if User.objects.filter(person=req.person).exclude(pk=account.pk).exists():
            raise ValidationError("The person has been linked to another account since.")
        _link(actor=actor, user=account, person=req.person, note=note)
    elif req.kind == Kind.SSO:
        _set_sso(actor=actor, user=account, subject=_sso_checked(account, req.sso_subject), note=note)
    elif req.kind == Kind.REACTIVATE:
        _set_active(actor=actor, user=account, active=True, note=note)


@transaction.atomic
def request_approve(*, actor: Any, req: AccessRequest, note: str = "") -> AccessRequest:
    """A second authorised person approves: the change is made now, in their name."""
    if isinstance(actor, SystemActor):
        raise ValidationError("A second approver is a person.")
    req = AccessRequest.objects.select_for_update().get(pk=req.pk)
    require(actor, Perm.DECIDE_ACCESS_REQUEST, req)
    _apply(req, actor=actor)
    req = _decided(req, actor=actor, status=Status.APPROVED, note=note.strip())
    notify.email([req.requested_by.email], subject="medlead: your request for access was approved", body=_told(req))
    return req


@transaction.atomic
def request_refuse(*, actor: Any, req: AccessRequest, note: str) -> AccessRequest:
    note = note.strip()
    if not note:
        raise ValidationError({"note": "Say why you refuse this request."})
    req = AccessRequest.objects.select_for_update().get(pk=req.pk)
    require(actor, Perm.DECIDE_ACCESS_REQUEST, req)
    req = _decided(req, actor=actor, status=Status.REFUSED, note=note)
    notify.email([req.requested_by.email], subject="medlead: your request for access was refused", body=_told(req))
    return req


@transaction.atomic
def request_withdraw(*, actor: Any, req: AccessRequest, note: str = "") -> AccessRequest:
    req = AccessRequest.objects.select_for_update().get(pk=req.pk)
    require(actor, Perm.WITHDRAW_ACCESS_REQUEST, req)
    return _decided(req, actor=actor, status=Status.WITHDRAWN, note=note.strip())


def _told(req: AccessRequest) -> str:
    return (
        f"Your request for {req.about} ({req.what}) was {req.get_status_display().lower()} "
        f"by {req.decided_by}. Open medlead to see the decision."
    )


@transaction.atomic
def sso_account_create(*, subject: str, email: str = "", first_name: str = "", last_name: str = "") -> User:
    """An account made by a first sign-in (only when MEDLEAD_OIDC_CREATE_USERS is set): no roles, no password. It
    sees nothing until a role is granted in medlead."""
    username = f"sso-{subject}"[:150]
    user = User(username=username, sso_subject=subject, email=email[:254], first_name=first_name[:150])
    user.last_name = last_name[:150]
    user.set_unusable_password()
    user.save()
    auditor.audit_create(
        actor=SystemActor("first single sign-on"), obj=user, note="account created by a first single sign-on"
    )
    return user
