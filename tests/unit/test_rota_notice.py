"""The notice of a rotation's work schedule and rota against the Code of Practice's standards (issue 32), worked by
hand. The Code asks for the work schedule "at least 8 weeks" and the rota "at least 6 weeks" before the rotation
starts: given exactly 6 weeks (42 days) before the first day is on time; 41 days is late."""

from __future__ import annotations

import datetime as dt

import pytest

from medlead.rota.notice import deadline, notice

D = dt.date
STARTS = D(2027, 2, 3)  # a Wednesday


@pytest.mark.parametrize(
    ("given_on", "weeks", "days", "on_time"),
    [
        (D(2026, 12, 23), 6, 42, True),  # exactly 6 weeks before: on time ("at least 6 weeks")
        (D(2026, 12, 24), 6, 41, False),  # a day later: late
        (D(2026, 12, 22), 6, 43, True),
        (D(2026, 12, 9), 8, 56, True),  # exactly 8 weeks before the first day
        (D(2026, 12, 10), 8, 55, False),
        (D(2027, 1, 6), 6, 28, False),  # 4 weeks: the demo's short notice
        (D(2027, 2, 3), 6, 0, False),  # on the first day itself
        (D(2027, 2, 5), 6, -2, False),  # after it started
    ],
)
def test_notice_on_time_by_hand(given_on: dt.date, weeks: int, days: int, on_time: bool) -> None:
    n = notice(starts_on=STARTS, given_on=given_on, weeks_required=weeks)
    assert (n.days, n.on_time) == (days, on_time)


def test_notice_across_the_clock_change_counts_calendar_days() -> None:
    # 29 March 2026 (the clocks go forward) lies between: still 42 calendar days
    assert notice(starts_on=D(2026, 4, 22), given_on=D(2026, 3, 11), weeks_required=6).on_time


def test_deadline_is_the_last_day_on_time() -> None:
    assert deadline(starts_on=STARTS, weeks_required=6) == D(2026, 12, 23)
    assert deadline(starts_on=STARTS, weeks_required=8) == D(2026, 12, 9)


def test_notice_in_words() -> None:
    assert notice(starts_on=STARTS, given_on=D(2026, 12, 23), weeks_required=6).words == (
        "6 weeks before its first day (at least 6 weeks asked): on time"
    )
    assert notice(starts_on=STARTS, given_on=D(2027, 1, 4), weeks_required=6).words == (
        "4 weeks and 2 days before its first day (at least 6 weeks asked): late"
    )
    assert notice(starts_on=STARTS, given_on=D(2027, 2, 4), weeks_required=6).words == (
        "1 day after the rotation started (at least 6 weeks asked): late"
    )
