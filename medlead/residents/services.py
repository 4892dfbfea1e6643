"""Writes for a resident doctor's own records: their calendar feed's address, made, replaced or stopped by the
doctor alone, each audited (the address itself never enters the trail; fetching the feed is not recorded)."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from medlead.core import dates
from medlead.core import services as core_services
from medlead.core.policy import Perm, require
from medlead.organisation.models import Person
from medlead.residents import feeds
from medlead.residents.models import CalendarFeed


def _feed(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.select_for_update().filter(trust_id=person.trust_id, person_id=person.pk).first()


@transaction.atomic
def feed_start(*, actor: Any, person: Person) -> CalendarFeed:
    """Give the doctor a calendar address."""
    require(actor, Perm.MANAGE_CALENDAR_FEED, person)
    if _feed(person) is not None:
        raise ValidationError("You already have a calendar address: replace it or stop it instead.")
    feed = CalendarFeed(trust_id=person.trust_id, person=person, key=feeds.new_key())
    return core_services.create(actor=actor, obj=feed, note="calendar address made")


@transaction.atomic
def feed_replace(*, actor: Any, person: Person) -> CalendarFeed:
    """A new address for the doctor's feed; the old one answers 404 from now on."""
    require(actor, Perm.MANAGE_CALENDAR_FEED, person)
    feed = _feed(person)
    if feed is None:
        raise ValidationError("You have no calendar address to replace.")
    return core_services.update(
        actor=actor,
        obj=feed,
        data={"key": feeds.new_key(), "replaced_at": dates.now()},
        note="calendar address replaced",
    )


@transaction.atomic
def feed_stop(*, actor: Any, person: Person) -> None:
    """Stop the doctor's feed: its address answers 404 from now on."""
    require(actor, Perm.MANAGE_CALENDAR_FEED, person)
    feed = _feed(person)
    if feed is None:
        raise ValidationError("You have no calendar address to stop.")
    core_services.delete(actor=actor, obj=feed, note="calendar feed stopped")
