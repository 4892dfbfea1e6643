"""Writes for talent spotting and succession. Validated, all or nothing, audited (review notes withheld from
the audit trail's changes: see ``core.audit.snapshot``)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import Person, Trust
from medlead.structure.models import Post, PostType
from medlead.talent.models import (
    Nomination,
    NominationStatus,
    PoolMember,
    Readiness,
    ReviewedRole,
    Successor,
    TalentReview,
)


def nominate(*, actor: Any, trust: Trust, nominee: Person, role: PostType, reason: str) -> Nomination:
    require(actor, Perm.NOMINATE_TALENT, trust)
    if nominee.trust_id != trust.pk:
        raise ValidationError({"nominee": "Choose a person of this trust."})
    if nominee.pk == getattr(actor, "person_id", None):
        raise ValidationError({"nominee": "Talent spotting is for others; put yourself forward through your plan."})
    if not reason.strip():
        raise ValidationError({"reason": "Say what you have seen that makes them a future leader."})
    if Nomination.objects.filter(nominee=nominee, role=role, status=NominationStatus.OPEN).exists():
        raise ValidationError(f"{nominee.display_name} already has an open nomination for {role.name.lower()}.")
    return core.create(
        actor=actor, obj=Nomination(trust=trust, nominee=nominee, role=role, reason=reason.strip(), nominated_by=actor)
    )


@transaction.atomic
def review_record(
    *,
    actor: Any,
    trust: Trust,
    person: Person,
    reviewed_on: dt.date,
    reviewers: list[Person],
    readiness: dict[PostType, str],
    notes: str,
    today: dt.date,
) -> TalentReview:
    """Record a talent review: readiness for one or more next roles, and confidential notes."""
    require(actor, Perm.MANAGE_TALENT, trust)
    errors = []
    if person.trust_id != trust.pk:
        errors.append("Choose a person of this trust.")
    if reviewed_on > today:
        errors.append("The review date cannot be in the future.")
    if not reviewers:
        errors.append("Name at least one reviewer.")
    if person in reviewers:
        errors.append("A person cannot review themselves.")
    if any(r.trust_id != trust.pk for r in reviewers):
        errors.append("Reviewers must be people of this trust.")
    if not readiness:
        errors.append("Record readiness for at least one role.")
    if any(v not in Readiness.values for v in readiness.values()):
        errors.append("Choose a readiness for each role.")
    if errors:
        raise ValidationError(errors)
    review = core.create(
        actor=actor,
        obj=TalentReview(trust=trust, person=person, reviewed_on=reviewed_on, notes=notes.strip(), created_by=actor),
    )
    review.reviewers.set(reviewers)
    ReviewedRole.objects.bulk_create([ReviewedRole(review=review, role=r, readiness=v) for r, v in readiness.items()])
    Nomination.objects.filter(nominee=person, status=NominationStatus.OPEN).update(status=NominationStatus.REVIEWED)
    return review


def successor_add(*, actor: Any, post: Post, person: Person, readiness: str, notes: str = "") -> Successor:
    require(actor, Perm.MANAGE_TALENT, post)
    if Successor.objects.filter(post=post, person=person).exists():
        raise ValidationError({"person": f"{person.display_name} is already in this post's succession plan."})
    if post.holdings.filter(person=person, end__isnull=True).exists():
        raise ValidationError({"person": f"{person.display_name} holds this post already."})
    return core.create(
        actor=actor,
        obj=Successor(trust_id=post.trust_id, post=post, person=person, readiness=readiness, notes=notes.strip()),
    )


def successor_update(*, actor: Any, successor: Successor, readiness: str) -> Successor:
    require(actor, Perm.MANAGE_TALENT, successor)
    return core.update(actor=actor, obj=successor, data={"readiness": readiness})


def successor_remove(*, actor: Any, successor: Successor) -> None:
    require(actor, Perm.MANAGE_TALENT, successor)
    core.delete(actor=actor, obj=successor)


# ------------------------------------------------------------------------------------ the regional talent pool


@transaction.atomic
def pool_join(*, actor: Any, person: Person, share_career: bool) -> PoolMember:
    """The doctor joins their trust's region's talent pool, or changes what they share from their career plan. Only
    the doctor themselves (``JOIN_TALENT_POOL``); nobody is put in the pool by anyone else."""
    require(actor, Perm.JOIN_TALENT_POOL, person)
    member = PoolMember.objects.filter(person=person).first()
    if member is not None:
        return core.update(actor=actor, obj=member, data={"share_career": share_career})
    region = person.trust.region
    if region is None:
        raise ValidationError("Your trust belongs to no region, so there is no regional talent pool to join.")
    return core.create(
        actor=actor,
        obj=PoolMember(trust_id=person.trust_id, person=person, region=region, share_career=share_career),
    )


@transaction.atomic
def pool_leave(*, actor: Any, person: Person) -> None:
    """The doctor leaves the pool: their row is deleted at once, so no search finds them from then on."""
    require(actor, Perm.JOIN_TALENT_POOL, person)
    member = PoolMember.objects.filter(person=person).first()
    if member is None:
        raise ValidationError("You are not in the talent pool.")
    core.delete(actor=actor, obj=member, note="left the talent pool")
