"""A doctor's duties as an RFC 5545 calendar (pure: no Django; the ``icalendar`` library writes it). Each event
carries only what a calendar needs: a stable UID per duty, the shift's name and rota, its start and end in
Europe/London with the zone's VTIMEZONE (so clock changes fall right in every calendar), and the site where one is
known. Never another doctor, a breach or a report (ADR 0023)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from zoneinfo import ZoneInfo

import icalendar

LONDON = ZoneInfo("Europe/London")
PRODID = "-//medlead//My rota//EN"
REFRESH = dt.timedelta(hours=1)  # a hint to calendars that honour it: read the feed again every hour


@dataclass(frozen=True)
class Event:
    uid: str
    summary: str
    start: dt.datetime  # aware
    end: dt.datetime  # aware
    location: str = ""


def ics(events: Sequence[Event], *, name: str, stamp: dt.datetime) -> bytes:
    """The calendar of ``events``, named ``name``; ``stamp`` (aware) is when it was written (DTSTAMP)."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("name", name)
    cal.add("x-wr-calname", name)
    cal.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", "PT1H")
    for e in events:
        event = icalendar.Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp.astimezone(dt.UTC))
        event.add("dtstart", e.start.astimezone(LONDON))
        event.add("dtend", e.end.astimezone(LONDON))
        event.add("summary", e.summary)
        if e.location:
            event.add("location", e.location)
        cal.add_component(event)
    if events:
        first = min(e.start for e in events).date() - dt.timedelta(days=366)
        last = max(e.end for e in events).date() + dt.timedelta(days=366)
        cal.add_missing_timezones(first_date=first, last_date=last)
    data: bytes = cal.to_ical()
    return data
