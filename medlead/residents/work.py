"""A resident doctor's home page: their next shift, linked to My rota (issue 32)."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from medlead.core import dates
from medlead.core.policy import Perm, can
from medlead.core.work import Task, Visit, needs_you
from medlead.residents import selectors
from medlead.residents.presenters import AHEAD

HOUR = dt.timedelta(hours=1)


@needs_you(order=15)
def next_shift(visit: Visit) -> list[Task]:
    """ "Your next shift: Tuesday 3 March, 08:00 to 20:30 (Long shift, Acute medicine registrars)", for a doctor
    on a rota; "You have no shifts in the next 8 weeks" otherwise. Both open My rota."""
    if not visit.own or not can(visit.actor, Perm.VIEW_MY_ROTA, visit.actor.person):
        return []
    person = visit.actor.person
    now = dates.now()
    upcoming = list(selectors.my_duties(person, now, now + AHEAD)[:1])
    url = visit.url("residents:my_rota")
    if not upcoming:
        # a shift comes into the 8 weeks as time passes: looked for again within the hour
        visit.changes_at(now + HOUR)
        return [Task("Your rota: you have no shifts in the next 8 weeks", None, url)]
    duty = upcoming[0]
    visit.changes_at(duty.end)  # the first shift that has not ended is shown until it ends
    name = selectors.names(upcoming)[duty.pk]
    start, end = timezone.localtime(duty.start), timezone.localtime(duty.end)
    when = f"{start:%A} {start.day} {start:%B}, {start:%H:%M} to {end:%H:%M}"
    return [Task(f"Your next shift: {when} ({name}, {duty.rota.name})", None, url)]
