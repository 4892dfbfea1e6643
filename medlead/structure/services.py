"""Writes to the medical management structure. Every one validates and is audited."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import services as core
from medlead.core.policy import Perm, require
from medlead.organisation.models import Person, Trust
from medlead.structure.models import DottedLine, Holding, PortfolioAssignment, PortfolioFunction, Post


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
