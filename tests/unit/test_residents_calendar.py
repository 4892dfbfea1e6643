"""A resident doctor's calendar, as the pure modules write it: shift names by the rule set's definitions, and the
RFC 5545 text read back with the icalendar library, with the times across both clock changes written by hand.

Clock changes in 2026 (UK): clocks go forward at 01:00 GMT on Sunday 29 March (the last Sunday of March) and back
at 01:00 GMT on Sunday 25 October (the last Sunday of October)."""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

import icalendar

from medlead.residents.ical import Event, ics
from medlead.residents.shifts import shift_name
from medlead.rota import engine

LONDON = ZoneInfo("Europe/London")
UTC = dt.UTC
DEFINITIONS = engine.load("tcs2016-2019").definitions


def london(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=LONDON)


def test_shifts_are_named_by_the_rule_sets_definitions() -> None:
    # a night has at least 3 hours between 23:00 and 06:00; a long shift is more than 10 hours; a long evening
    # shift is a long shift (not a night) finishing after 23:00
    cases = [
        ("shift", london(2026, 1, 5, 21), london(2026, 1, 6, 8), "Night shift"),
        ("shift", london(2026, 1, 5, 8), london(2026, 1, 5, 20, 30), "Long shift"),
        ("shift", london(2026, 1, 5, 13), london(2026, 1, 5, 23, 30), "Long evening shift"),
        ("shift", london(2026, 1, 5, 8), london(2026, 1, 5, 17), "Shift"),
        ("shift", london(2026, 1, 5, 8), london(2026, 1, 5, 18), "Shift"),  # exactly 10 hours: not long
        ("shift", london(2026, 1, 5, 20), london(2026, 1, 6, 1, 30), "Shift"),  # 2 h 30 min in the night window
        ("on_call", london(2026, 1, 5, 17), london(2026, 1, 6, 9), "On call (non-resident)"),
    ]
    for kind, start, end, expected in cases:
        assert shift_name(kind, start, end, DEFINITIONS) == expected, (start, end)


def test_a_night_across_the_spring_clock_change_is_ten_real_hours_and_still_a_night() -> None:
    # 21:00 GMT to 08:00 BST: 10 real hours, 6 of them (23:00 GMT to 06:00 BST, less the lost hour) in the window
    assert shift_name("shift", london(2026, 3, 28, 21), london(2026, 3, 29, 8), DEFINITIONS) == "Night shift"
    # 08:00 to 18:30 on the day the clocks go forward is 10 h 30 min: long; on an ordinary day too
    assert shift_name("shift", london(2026, 3, 29, 8), london(2026, 3, 29, 18, 30), DEFINITIONS) == "Long shift"


def _read(data: bytes) -> list[icalendar.Event]:
    cal = icalendar.Calendar.from_ical(data)
    return list(cal.walk("VEVENT"))


def test_the_calendar_gives_the_right_times_across_both_clock_changes() -> None:
    events = [
        # Saturday night into the spring change: 21:00 GMT is 21:00 UTC; 08:00 BST is 07:00 UTC
        Event("duty-1@medlead", "Night shift: Acute medicine", london(2026, 3, 28, 21), london(2026, 3, 29, 8)),
        # a day shift after the change: 08:00 BST is 07:00 UTC, 20:30 BST is 19:30 UTC
        Event("duty-2@medlead", "Long shift: Acute medicine", london(2026, 3, 30, 8), london(2026, 3, 30, 20, 30)),
        # Saturday night into the autumn change: 21:00 BST is 20:00 UTC; 08:00 GMT is 08:00 UTC (12 real hours)
        Event("duty-3@medlead", "Night shift: Acute medicine", london(2026, 10, 24, 21), london(2026, 10, 25, 8)),
        # a winter day: GMT is UTC
        Event("duty-4@medlead", "Shift: Acute medicine", london(2026, 11, 2, 8), london(2026, 11, 2, 17)),
    ]
    data = ics(events, name="My rota (medlead)", stamp=dt.datetime(2026, 3, 1, 12, tzinfo=UTC))
    expected = {
        "duty-1@medlead": (dt.datetime(2026, 3, 28, 21, tzinfo=UTC), dt.datetime(2026, 3, 29, 7, tzinfo=UTC)),
        "duty-2@medlead": (dt.datetime(2026, 3, 30, 7, tzinfo=UTC), dt.datetime(2026, 3, 30, 19, 30, tzinfo=UTC)),
        "duty-3@medlead": (dt.datetime(2026, 10, 24, 20, tzinfo=UTC), dt.datetime(2026, 10, 25, 8, tzinfo=UTC)),
        "duty-4@medlead": (dt.datetime(2026, 11, 2, 8, tzinfo=UTC), dt.datetime(2026, 11, 2, 17, tzinfo=UTC)),
    }
    read = _read(data)
    assert len(read) == 4
    for event in read:
        start, end = event.decoded("dtstart"), event.decoded("dtend")
        assert (start.astimezone(UTC), end.astimezone(UTC)) == expected[str(event["uid"])], event["uid"]
        # written as local wall-clock times with the zone named, so a calendar shows what the rota says
        assert event["dtstart"].params["TZID"] == "Europe/London"
    text = data.decode()
    assert "DTSTART;TZID=Europe/London:20260328T210000" in text
    assert "DTEND;TZID=Europe/London:20260329T080000" in text
    assert "BEGIN:VTIMEZONE" in text and "TZID:Europe/London" in text


def test_an_event_carries_only_what_a_calendar_needs() -> None:
    data = ics(
        [Event("duty-9@medlead", "Shift: Surgery", london(2026, 6, 1, 8), london(2026, 6, 1, 17))],
        name="My rota (medlead)",
        stamp=dt.datetime(2026, 5, 1, tzinfo=UTC),
    )
    (event,) = _read(data)
    assert set(event.keys()) == {"UID", "DTSTAMP", "DTSTART", "DTEND", "SUMMARY"}
    assert str(event["summary"]) == "Shift: Surgery"


def test_an_empty_calendar_is_still_a_calendar() -> None:
    cal = icalendar.Calendar.from_ical(ics([], name="My rota (medlead)", stamp=dt.datetime(2026, 5, 1, tzinfo=UTC)))
    assert cal["version"] == "2.0" and not list(cal.walk("VEVENT"))
