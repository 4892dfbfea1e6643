"""Dates on pages and documents are written in UK style, in the trust's local time (Europe/London)."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.config.jinja2_env import format_date

UTC = dt.UTC


@pytest.mark.parametrize(
    ("value", "fmt", "written"),
    [
        (dt.date(2026, 12, 6), "j F Y", "6 December 2026"),
        (dt.date(2027, 1, 31), "j F Y", "31 January 2027"),
        (dt.date(2026, 3, 29), "j F Y", "29 March 2026"),
        ("2026-09-01", "j F Y", "1 September 2026"),  # an ISO date kept in a stored snapshot
        # an instant late on 30 June in UTC is 1 July in the UK (summer time)
        (dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "j F Y", "1 July 2026"),
        # in winter UTC and UK time agree
        (dt.datetime(2026, 12, 31, 23, 30, tzinfo=UTC), "j F Y", "31 December 2026"),
        (dt.datetime(2026, 6, 30, 23, 30, tzinfo=UTC), "j F Y H:i", "1 July 2026 00:30"),
        (dt.date(2026, 2, 5), "D j M", "Thu 5 Feb"),
        (None, "j F Y", ""),
    ],
)
def test_a_date_is_written_as_people_in_the_uk_read_it(value: object, fmt: str, written: str) -> None:
    assert format_date(value, fmt) == written
