"""Writes to the medical management structure. Every one validates and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import Contract, Person, StaffKind, Trust
from medlead.structure.models import (
    DottedLine,
    Holding,
    PortfolioAssignment,
    PortfolioFunction,
    Post,
    Secondment,
    SecondmentStatus,
)


def post_create(*, actor: Any, trust: Trust, **data: Any) -> Post:
    require(actor, Perm.MANAGE_STRUCTURE, trust)
    return core.create(actor=actor, obj=Post(trust=trust, **data))


def post_update(*, actor: Any, post: Post, **data: Any) -> Post:
    require(actor, Perm.MANAGE_STRUCTURE, post)
    return core.update(actor=actor, obj=post, data=data)


@transaction.atomic
def holding_create(
    *, actor: Any, post: Post, person: Person, start: dt.date, end: dt.date | None = None, interim: bool = False
) -> Holding:
    require(actor, Perm.MANAGE_STRUCTURE, post)
    overlapping = Holding.objects.filter(post=post, person=person, start__lte=end or dt.date.max).exclude(end__lt=start)
    if overlapping.exists():
        raise ValidationError({"person": f"{person} already holds this post for part of that period."})
    return core.create(
        actor=actor,
        obj=Holding(trust=post.trust, post=post, person=person, start=start, end=end, interim=interim),
    )


def holding_end(*, actor: Any, holding: Holding, end: dt.date) -> Holding:
    require(actor, Perm.MANAGE_STRUCTURE, holding)
    return core.update(actor=actor, obj=holding, data={"end": end})


@transaction.atomic
def portfolio_assign(*, actor: Any, trust: Trust, function: PortfolioFunction, post: Post | None) -> None:
    """Give a portfolio function to a post, or (``post=None``) leave it unheld."""
    require(actor, Perm.MANAGE_STRUCTURE, trust)
    if post is not None and post.trust_id != trust.pk:
        raise ValidationError({"post": "The post must belong to this trust."})
    existing = PortfolioAssignment.objects.filter(trust=trust, function=function).first()
    if existing is None:
        if post is not None:
            core.create(actor=actor, obj=PortfolioAssignment(trust=trust, function=function, post=post))
    elif post is None:
        core.delete(actor=actor, obj=existing)
    elif existing.post_id != post.pk:
        core.update(actor=actor, obj=existing, data={"post": post})


def dotted_line_add(*, actor: Any, post: Post, to_post: Post) -> DottedLine:
    require(actor, Perm.MANAGE_STRUCTURE, post)
    if to_post.pk == post.pk:
        raise ValidationError({"to_post": "A post cannot have a dotted line to itself."})
    if to_post.trust_id != post.trust_id:
        raise ValidationError({"to_post": "The post must be in the same trust."})
    return core.create(actor=actor, obj=DottedLine(trust=post.trust, post=post, to_post=to_post))


# ------------------------------------------------------------------------------------ secondments (issue 34)


def secondment_propose(
    *,
    actor: Any,
    trust: Trust,
    home_trust: Trust,
    gmc_number: str,
    host_post: Post,
    starts_on: dt.date,
    ends_on: dt.date,
) -> Secondment:
    """The host trust's structure managers propose a secondment into one of its posts, naming the doctor by GMC
    number and their home trust, whose structure managers then agree or decline it. Nothing changes in either
    structure until they agree."""
    require(actor, Perm.MANAGE_STRUCTURE, trust)
    if host_post.trust_id != trust.pk:
        raise ValidationError({"host_post": "Choose one of this trust's posts."})
    if Secondment.objects.filter(
        trust=trust, gmc_number=gmc_number, status=SecondmentStatus.PROPOSED, host_post=host_post
    ).exists():
        raise ValidationError("This secondment is already waiting for the home trust.")
    return core.create(
        actor=actor,
        obj=Secondment(
            trust=trust,
            home_trust=home_trust,
            gmc_number=gmc_number,
            host_post=host_post,
            starts_on=starts_on,
            ends_on=ends_on,
            proposed_by=actor,
        ),
    )


def secondee_at_home(secondment: Secondment) -> Person | None:
    """The home trust's person record with the secondment's GMC number (the key across trusts), if any."""
    return Person.objects.filter(trust_id=secondment.home_trust_id, gmc_number=secondment.gmc_number).first()


@transaction.atomic
def secondment_decide(
    *, actor: Any, secondment: Secondment, agree: bool, home_holding: Holding | None = None
) -> Secondment:
    """The home trust's structure managers agree the secondment (naming the substantive post the doctor keeps at
    home, if they hold one in its structure) or decline it. On agreement, both structures record it: the host's post
    gets a holding for the doctor's host person record, found by GMC number or made from the home record (name and
    grade only), until the secondment ends; the home holding is left as it is, so the post is not vacant at home."""
    require(actor, Perm.AGREE_SECONDMENT, secondment)
    secondment = Secondment.objects.select_for_update().get(pk=secondment.pk)
    if secondment.status != SecondmentStatus.PROPOSED:
        raise ValidationError("This secondment has already been decided.")
    decided = {"decided_by": actor, "decided_at": timezone.now()}
    if not agree:
        return core.update(actor=actor, obj=secondment, data={"status": SecondmentStatus.DECLINED, **decided})
    home_person = secondee_at_home(secondment)
    if home_person is None:
        raise ValidationError(f"Nobody with GMC number {secondment.gmc_number} works here: decline it instead.")
    if home_holding is not None and home_holding.person_id != home_person.pk:
        raise ValidationError({"home_holding": f"Choose one of {home_person.display_name}'s posts."})
    host_person = Person.objects.filter(trust_id=secondment.trust_id, gmc_number=secondment.gmc_number).first()
    if host_person is None:
        host_person = core.create(
            actor=actor,
            obj=Person(
                trust_id=secondment.trust_id,
                kind=StaffKind.DOCTOR,
                first_name=home_person.first_name,
                last_name=home_person.last_name,
                gmc_number=home_person.gmc_number,
                grade=home_person.grade,
                contract=Contract.HONORARY,
            ),
            note=f"seconded from {secondment.home_trust.name}",
        )
    # the host's post is held from the day the secondment starts until it ends: the agreement of both trusts is the
    # authority for it (the host proposed it, the home trust agreed it)
    host_holding = core.create(
        actor=actor,
        obj=Holding(
            trust_id=secondment.trust_id,
            post=secondment.host_post,
            person=host_person,
            start=secondment.starts_on,
            end=secondment.ends_on,
        ),
        note=f"secondment from {secondment.home_trust.name}",
    )
    return core.update(
        actor=actor,
        obj=secondment,
        data={
            "status": SecondmentStatus.AGREED,
            "home_person": home_person,
            "home_holding": home_holding,
            "host_person": host_person,
            "host_holding": host_holding,
            **decided,
        },
    )
