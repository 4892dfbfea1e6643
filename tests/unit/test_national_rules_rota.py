"""The rota regression table (docs/national-rules/rota.md): every row is read and medlead's rule engine checked
against it, with the national rule sets in data/rota_rules/. The expected limits broken and breaks owed are the
table's, worked by hand from the rules' words; none is computed here."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from medlead.rota import engine
from tests.national_rules import day, sections

SECTIONS = sections("rota.md")
DUTY = re.compile(r"(shifts?|on-call) (\d\d:\d\d) to (\d\d:\d\d) on (?:(\d+) days from )?(\d+ \w+ \d{4})")
RULE_SETS = {"2016 terms": "tcs2016", "2016 terms as amended in 2019": "tcs2016-2019"}
LIMITS = {
    "maximum shift length": "max_shift_length",
    "average weekly hours": "max_avg_weekly_hours",
    "hours in 168": "max_hours_in_168",
    "rest between shifts": "min_rest_between_shifts",
    "consecutive shifts": "max_consecutive_shifts",
    "rest after consecutive shifts": "rest_after_consecutive_shifts",
    "consecutive long shifts": "max_consecutive_long_shifts",
    "rest after long shifts": "rest_after_long_shifts",
    "consecutive nights": "max_consecutive_nights",
    "rest after nights": "rest_after_nights",
    "on-call length": "max_on_call_length",
    "on-calls in 7 days": "max_on_calls_in_7_days",
    "consecutive on-calls": "consecutive_on_calls",
    "shift after on-call": "max_shift_after_on_call",
}


def _span(first: dt.date, start: str, end: str) -> tuple[dt.datetime, dt.datetime]:
    """A duty's start and end on ``first``: an end not after the start is the next day's."""
    s = dt.datetime.combine(first, dt.time.fromisoformat(start))
    e = dt.datetime.combine(first, dt.time.fromisoformat(end))
    return s, e if e > s else e + dt.timedelta(days=1)


def _doctor(text: str) -> tuple[bool, float]:
    """Whether the doctor has opted out of the Working Time Regulations, and their fraction of full time."""
    if text == "full time":
        return False, 1.0
    if text == "opted out":
        return True, 1.0
    found = re.fullmatch(r"less than full time at (\d+)%", text)
    assert found, text
    return False, int(found.group(1)) / 100


def _duties(text: str, doctor: tuple[bool, float]) -> list[engine.Duty]:
    out = []
    for part in text.split(";"):
        found = DUTY.fullmatch(part.strip())
        assert found, part
        kind, start, end, days, first = found.groups()
        for n in range(int(days or 1)):
            s, e = _span(day(first) + dt.timedelta(days=n), start, end)
            kind_ = "on_call" if kind == "on-call" else "shift"
            out.append(engine.Duty(doctor="A", start=s, end=e, kind=kind_, opted_out=doctor[0], fraction=doctor[1]))
    return out


def test_the_table_has_its_two_sections_with_their_cases() -> None:
    assert {k: len(v) for k, v in SECTIONS.items()} == {"The limits on a rota": 24, "The breaks a shift is owed": 8}


@pytest.mark.parametrize("row", SECTIONS["The limits on a rota"], ids=lambda r: f"case {r['Case']}")
def test_a_rota_breaks_the_limits_the_rules_in_force_on_its_first_day_set(row: dict[str, str]) -> None:
    duties = _duties(row["Duties"], _doctor(row["Doctor"]))
    first_day = min(d.start for d in duties).date()
    rule_set = engine.in_force(first_day)
    assert rule_set == RULE_SETS[row["Rules in force"]]
    weeks = re.fullmatch(r"(\d+) weeks?", row["Reference period"])
    assert weeks, row["Reference period"]
    report = engine.check(engine.Rota.from_duties(duties), engine.load(rule_set), reference_weeks=int(weeks.group(1)))
    expected = set() if row["Limits broken"] == "none" else {LIMITS[w.strip()] for w in row["Limits broken"].split(",")}
    assert {b.rule for b in report.breaches} == expected


@pytest.mark.parametrize("row", SECTIONS["The breaks a shift is owed"], ids=lambda r: f"case {r['Case']}")
def test_a_shift_is_owed_the_breaks_its_length_and_hours_give(row: dict[str, str]) -> None:
    found = re.fullmatch(r"(\d\d:\d\d) to (\d\d:\d\d) on (\d+ \w+ \d{4})", row["Shift"])
    assert found, row["Shift"]
    start, end = _span(day(found.group(3)), found.group(1), found.group(2))
    rule_set = engine.in_force(start.date())
    assert rule_set == RULE_SETS[row["Rules in force"]]
    assert engine.shift_breaks(engine.load(rule_set), start, end) == int(row["Breaks owed"])
