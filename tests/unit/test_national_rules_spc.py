"""The SPC regression table (docs/national-rules/spc.md): every row's series is drawn as medlead draws the board
report's charts, with the national parameters (data/spc.yaml), and its working, special causes and latest point are
checked against the row. The expected answers are the table's, worked by hand; none is computed here."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from medlead.core.reference_data import read
from medlead.core.spc import Chart, Params, xmr
from tests.national_rules import day, sections

ROWS = sections("spc.md")[""]
RULES = {"beyond the limits": "beyond_limits", "shift": "shift", "trend": "trend", "two of three": "two_of_three"}
LATEST = {"common cause": "common_cause", "improvement": "improvement", "concern": "concern", "neutral": "neutral"}


def _months(first: dt.date, count: int) -> list[dt.date]:
    return [dt.date(first.year + (first.month - 1 + i) // 12, (first.month - 1 + i) % 12 + 1, 1) for i in range(count)]


def _points(text: str) -> set[int]:
    """ "point 12", "points 6 to 13", "points 11 and 13" as point numbers (1 is the first month)."""
    found = re.fullmatch(r"points? (\d+)(?: (to|and) (\d+))?", text.strip())
    assert found, text
    first, how, last = int(found.group(1)), found.group(2), found.group(3)
    if how == "to":
        return set(range(first, int(last) + 1))
    return {first, int(last)} if how == "and" else {first}


def _chart(row: dict[str, str]) -> Chart:
    values = [float(v) for v in row["Values, month by month"].split(",")]
    dates = _months(day(row["First month"]), len(values))
    improvement = row["Improvement is"]
    assert improvement in ("up", "down", "neutral")
    return xmr(
        list(zip(dates, values, strict=True)), improvement=improvement, params=Params.from_data(read("spc.yaml"))
    )  # the national values


def test_the_table_has_its_cases() -> None:
    assert len(ROWS) >= 9


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"case {r['Case']}")
def test_each_series_is_flagged_as_the_table_says(row: dict[str, str]) -> None:
    assert row["Source passage"], "every case names its source"
    chart = _chart(row)
    mean, limits, near = (part.strip() for part in row["Mean; process limits; near-limit lines"].split(";"))
    lower, upper = (float(x) for x in limits.split(" to "))
    near_lower, near_upper = (float(x) for x in near.split(" and "))
    last = chart.points[-1]
    assert (round(last.mean, 2), round(last.lower, 2), round(last.upper, 2)) == (float(mean), lower, upper)
    assert (round(last.near_lower, 2), round(last.near_upper, 2)) == (near_lower, near_upper)

    expected: dict[str, set[int]] = {}
    if row["Special causes"] != "none":
        for part in row["Special causes"].split(";"):
            rule, points = part.split(":")
            expected[RULES[rule.strip()]] = _points(points)
    flagged = {rule: {n for n, p in enumerate(chart.points, start=1) if rule in p.rules} for rule in RULES.values()}
    assert {r: p for r, p in flagged.items() if p} == expected
    special = {p.special_cause for p in chart.points if p.special_cause}
    assert special == (set() if row["Read as"] == "–" else {row["Read as"]})
    assert chart.variation == LATEST[row["Latest point"]]
