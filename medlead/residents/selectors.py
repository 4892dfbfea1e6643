"""Reads for a resident doctor's own rota: their duties (the one way My rota and the feed read them:
``my_duties``), who else is on at the same time, their hours over the rotation, breaches that touch them, their
exception reports, and their calendar feed. Each read costs a fixed number of queries whatever the number of
shifts (a few for each rota the doctor is on)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from medlead.accounts.models import User
from medlead.organisation.models import Person
from medlead.residents import feeds, shifts
from medlead.residents.ical import Event
from medlead.residents.models import CalendarFeed
from medlead.rota import engine
from medlead.rota import selectors as rota_selectors
from medlead.rota.models import Duty, DutyKind, ExceptionReport, Rota, RotaBreach, RotaMember

# What the feed carries: from 8 weeks back (a calendar keeps what was worked) to a year ahead.
FEED_BACK = dt.timedelta(weeks=8)
FEED_AHEAD = dt.timedelta(weeks=52)


def on_a_rota(person: Person | None) -> bool:
    """Whether ``person`` is on a rota of their trust (who has a My rota page). For the signed-in person the policy
    reads it with their other facts (``residents.permissions``); this is for anyone else."""
    if person is None or not person.active:
        return False
    return RotaMember.objects.filter(trust_id=person.trust_id, person_id=person.pk).exists()


def my_duties(person: Person, start: dt.datetime, end: dt.datetime) -> QuerySet[Duty]:
    """The doctor's own shifts and on-call periods that overlap [start, end), earliest first, with their rota.
    The one read of a doctor's duties for My rota and the calendar feed. Only rotas published to their doctors
    count: a rota still being drawn up is the coordinator's, not yet the doctor's (ADR 0026). (Work done during an
    on-call period is a record of what happened, not a duty to turn up for: it is left out.)"""
    return (
        Duty.objects.filter(trust_id=person.trust_id, person_id=person.pk, start__lt=end, end__gt=start)
        .filter(rota__in=rota_selectors.published_rotas(trust=person.trust_id))
        .exclude(kind=DutyKind.ON_CALL_WORK)
        .select_related("rota")
        .order_by("start", "pk")
    )


def definitions(rotas: list[Rota]) -> dict[int, dict[str, Any]]:
    """The definitions (night, long shift, long evening) of the rule set that judges each rota."""
    return {r.pk: rota_selectors.rota_rules(rota=r, rule_set=r.checked_rules).definitions for r in rotas}


def _rotas_of(duties: list[Duty]) -> list[Rota]:
    return list({d.rota_id: d.rota for d in duties}.values())


def names(duties: list[Duty]) -> dict[int, str]:
    """Each duty's name in its rota's rule set's words ("Night shift", "Long shift", ...)."""
    found = definitions(_rotas_of(duties))
    return {d.pk: shifts.shift_name(d.kind, d.start, d.end, found[d.rota_id]) for d in duties}


def alongside(person: Person, duties: list[Duty]) -> dict[int, list[str]]:
    """For each of ``duties``, the names of the other doctors of the same rota on at the same time (names only):
    one query for all of them."""
    if not duties:
        return {}
    others = (
        Duty.objects.filter(
            trust_id=person.trust_id,
            rota_id__in={d.rota_id for d in duties},
            start__lt=max(d.end for d in duties),
            end__gt=min(d.start for d in duties),
        )
        .exclude(person_id=person.pk)
        .exclude(kind=DutyKind.ON_CALL_WORK)
        .select_related("person")
        .only("rota_id", "start", "end", "person__first_name", "person__last_name", "person__kind")
        .order_by("person__last_name", "person__first_name")
    )
    by_rota: dict[int, list[Duty]] = defaultdict(list)
    for o in others:
        by_rota[o.rota_id].append(o)
    out: dict[int, list[str]] = {}
    for d in duties:
        seen = [o.person.display_name for o in by_rota[d.rota_id] if o.start < d.end and o.end > d.start]
        out[d.pk] = list(dict.fromkeys(seen))
    return out


@dataclass(frozen=True)
class RotationHours:
    rota: Rota
    so_far: float | None  # average weekly hours over the weeks worked so far; None before the first shift
    planned: float  # average weekly hours over the whole rotation as planned (the rota page's figure)
    limit: float  # the limit that applies to the doctor (full time, opted out, or pro rata)
    weeks: int  # weeks of the rotation with a duty


def rotation_hours(person: Person, now: dt.datetime) -> list[RotationHours]:
    """For each rota the doctor is on, their average weekly hours as the engine computes them: over the weeks
    worked so far, and over the whole rotation as planned, with the limit that applies to them (the figures the
    rota's page charts)."""
    out = []
    members = RotaMember.objects.filter(trust_id=person.trust_id, person_id=person.pk).select_related("rota__trust")
    for member in members.order_by("rota__name"):
        rota = member.rota
        mine = next((h for h in rota_selectors.hours_by_doctor(rota=rota) if h["person"].pk == person.pk), None)
        if mine is None:
            continue
        worked = [
            engine.Duty(
                str(person.pk),
                timezone.localtime(start).replace(tzinfo=None),
                timezone.localtime(end).replace(tzinfo=None),
                kind,
                member.opted_out,
                float(person.ltft_fraction),
            )
            for start, end, kind in Duty.objects.filter(
                trust_id=person.trust_id, rota=rota, person_id=person.pk, start__lt=now
            ).values_list("start", "end", "kind")
        ]
        so_far = engine.weekly_averages(engine.Rota.from_duties(worked)).get(str(person.pk)) if worked else None
        first_last = Duty.objects.filter(trust_id=person.trust_id, rota=rota, person_id=person.pk).order_by("start")
        first, last = first_last.first(), first_last.last()
        weeks = (
            (
                rota_selectors.monday_of(timezone.localtime(last.start).date())
                - rota_selectors.monday_of(timezone.localtime(first.start).date())
            ).days
            // 7
            + 1
            if first and last
            else 0
        )
        out.append(
            RotationHours(
                rota=rota,
                so_far=round(so_far, 1) if so_far is not None else None,
                planned=mine["average"],
                limit=mine["limit"],
                weeks=weeks,
            )
        )
    return out


def my_breaches(person: Person, limit: int = 50) -> list[RotaBreach]:
    """Breaches (not warnings) the last check of each of the doctor's rotas found in their own duties."""
    return list(
        RotaBreach.objects.filter(trust_id=person.trust_id, person_id=person.pk, warning=False)
        .select_related("rota")
        .order_by("start")[:limit]
    )


def my_reports(person: Person, limit: int = 20) -> list[ExceptionReport]:
    """The doctor's own exception reports, latest first (what they submitted: their status, not the content)."""
    return list(
        ExceptionReport.objects.filter(trust_id=person.trust_id, doctor_id=person.pk)
        .select_related("rota")
        .only("occurred_on", "kind", "status", "rota__name", "trust_id", "doctor_id")
        .order_by("-occurred_on", "-pk")[:limit]
    )


def feed_of(person: Person) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(trust_id=person.trust_id, person_id=person.pk).first()


def feed_at(token: str) -> CalendarFeed | None:
    """The feed an address opens: its key and signature right, its doctor still active with an active account.
    None otherwise (the page answers 404 alike for all)."""
    key = feeds.key_of(token)
    if key is None:
        return None
    feed = CalendarFeed.objects.filter(key=key).select_related("person", "trust").first()
    if feed is None or not feed.person.active:
        return None
    if not User.objects.filter(person_id=feed.person_id, is_active=True).exists():
        return None
    return feed


def feed_events(person: Person, now: dt.datetime) -> list[Event]:
    """The doctor's duties as calendar events: the shift's name and rota, the times, nothing else."""
    duties = list(my_duties(person, now - FEED_BACK, now + FEED_AHEAD))
    named = names(duties)
    return [
        Event(
            uid=f"duty-{d.pk}@medlead",
            summary=f"{named[d.pk]}: {d.rota.name}",
            start=d.start,
            end=d.end,
        )
        for d in duties
    ]
