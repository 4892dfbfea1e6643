"""A duty's name in the words of the rule set that judges the rota (pure: no Django). The rule set defines a night
shift (at least ``night_min_hours`` inside the night window), a long shift (more than ``long_shift_over_hours``) and
a long evening shift (a long shift, not a night, finishing after ``long_evening_finishes_after``); the engine uses
the same definitions to check the rota. Times are aware; lengths are real time, so a night across a clock change
is as long as it is worked."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any
from zoneinfo import ZoneInfo

LONDON = ZoneInfo("Europe/London")

ON_CALL = "on_call"


def _clock(text: str) -> dt.time:
    hours, minutes = text.split(":")
    return dt.time(int(hours), int(minutes))


def _real_hours(start: dt.datetime, end: dt.datetime) -> float:
    return (end.astimezone(dt.UTC) - start.astimezone(dt.UTC)).total_seconds() / 3600


def night_hours(start: dt.datetime, end: dt.datetime, window: tuple[str, str]) -> float:
    """Real hours of [start, end) inside the night window (23:00 to 06:00 local time, each night)."""
    opens, closes = _clock(window[0]), _clock(window[1])
    local_start, local_end = start.astimezone(LONDON), end.astimezone(LONDON)
    total = 0.0
    day = local_start.date() - dt.timedelta(days=1)
    while day <= local_end.date():
        w_start = dt.datetime.combine(day, opens, tzinfo=LONDON)
        w_end = dt.datetime.combine(day + dt.timedelta(days=1 if closes <= opens else 0), closes, tzinfo=LONDON)
        lo, hi = max(local_start, w_start), min(local_end, w_end)
        if hi > lo:
            total += _real_hours(lo, hi)
        day += dt.timedelta(days=1)
    return total


def shift_name(kind: str, start: dt.datetime, end: dt.datetime, definitions: Mapping[str, Any]) -> str:
    """ "Night shift", "Long evening shift", "Long shift" or "Shift"; "On call (non-resident)" for an on-call period."""
    if kind == ON_CALL:
        return "On call (non-resident)"
    window = tuple(definitions["night_window"])
    if night_hours(start, end, (window[0], window[1])) >= float(definitions["night_min_hours"]):
        return "Night shift"
    if _real_hours(start, end) > float(definitions["long_shift_over_hours"]):
        local_start, local_end = start.astimezone(LONDON), end.astimezone(LONDON)
        evening = dt.datetime.combine(
            local_start.date(), _clock(definitions["long_evening_finishes_after"]), tzinfo=LONDON
        )
        return "Long evening shift" if local_end > evening else "Long shift"
    return "Shift"
