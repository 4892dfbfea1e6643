"""Leave arithmetic against the terms, worked by hand.

The terms (the 2016 terms and conditions for resident doctors, Schedule 9, as Health Education England's GP school
quotes them, `data/leave.yaml`): "On first appointment to the NHS: 27 days; after five years' completed NHS
service: 32 days", on "a standard working week of five days"; "a doctor working less than full time will be
allocated leave on a pro rata basis" (annual leave and public holidays alike). England's bank holidays are GOV.UK's
(`data/public_holidays.yaml`). Notice: six weeks. medlead rounds pro rata leave to the nearest half day (a trust
setting), and takes the higher figure for a leave year that starts once the five years are complete.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medlead.core.reference_data import read
from medlead.leave.entitlement import (
    Terms,
    completed_years,
    entitlement,
    leave_days,
    leave_year,
    pro_rata,
    short_notice,
)

TERMS = Terms(
    first_appointment_days=Decimal(27),
    after_service_days=Decimal(32),
    service_years=5,
    notice_weeks=6,
    study_leave_days=Decimal(30),
    carry_over_max_days=Decimal(5),
    pro_rata_step=Decimal("0.5"),
    from_appointment=True,
    year_starts=(8, 1),
)
HOLIDAYS = {d for days in read("public_holidays.yaml")["england"].values() for d in days}
APPOINTED = dt.date(2025, 8, 6)  # the August changeover, a Wednesday
YEAR = (dt.date(2026, 8, 6), dt.date(2027, 8, 5))
# Bank holidays from 6 August 2026 to 5 August 2027: 31 Aug, 25 Dec, 28 Dec 2026; 1 Jan, 26 Mar, 29 Mar, 3 May,
# 31 May 2027: eight.

# (NHS service from, fraction of full time, carried over) -> (annual leave, public holidays, total), by hand
TABLE = [
    # six years' service by 6 August 2026: 32 days; 8 bank holidays
    (dt.date(2020, 8, 5), "1.00", "0", ("32", "8", "40")),
    # two years: 27 days
    (dt.date(2024, 8, 7), "1.00", "0", ("27", "8", "35")),
    # exactly five years on the year's first day: 32
    (dt.date(2021, 8, 6), "1.00", "0", ("32", "8", "40")),
    # one day short of five years on the year's first day: 27
    (dt.date(2021, 8, 7), "1.00", "0", ("27", "8", "35")),
    # 60% of full time, two years: 27 x 0.6 = 16.2 -> 16; 8 x 0.6 = 4.8 -> 5
    (dt.date(2024, 8, 7), "0.60", "0", ("16", "5", "21")),
    # 80%, six years: 32 x 0.8 = 25.6 -> 25.5; 8 x 0.8 = 6.4 -> 6.5
    (dt.date(2020, 8, 5), "0.80", "0", ("25.5", "6.5", "32")),
    # 50%: 27 x 0.5 = 13.5; 4; and 3 days carried over
    (dt.date(2024, 8, 7), "0.50", "3", ("13.5", "4", "20.5")),
    # carried over beyond the five days the terms allow: five count
    (dt.date(2024, 8, 7), "1.00", "8", ("27", "8", "40")),
]


@pytest.mark.parametrize(("service", "fraction", "carried", "expected"), TABLE)
def test_entitlement_by_service_and_pro_rata(
    service: dt.date, fraction: str, carried: str, expected: tuple[str, str, str]
) -> None:
    e = entitlement(
        terms=TERMS,
        year=YEAR,
        service_from=service,
        fraction=Decimal(fraction),
        holidays=HOLIDAYS,
        carried_over=Decimal(carried),
    )
    assert (e.annual, e.public_holidays, e.total) == tuple(Decimal(x) for x in expected)


def test_remaining_counts_approved_and_waiting_annual_leave() -> None:
    e = entitlement(
        terms=TERMS,
        year=YEAR,
        service_from=dt.date(2024, 8, 7),
        fraction=Decimal(1),
        holidays=HOLIDAYS,
        taken=Decimal(10),
        waiting=Decimal(4),
    )
    assert e.remaining == Decimal(17)  # 27 - 10
    assert e.remaining_if_approved == Decimal(13)  # and 4 more waiting


def test_the_leave_year_runs_from_the_start_with_the_trust_or_the_trusts_day() -> None:
    assert leave_year(dt.date(2026, 12, 7), terms=TERMS, appointed_on=APPOINTED) == YEAR
    assert leave_year(dt.date(2026, 8, 5), terms=TERMS, appointed_on=APPOINTED) == (
        dt.date(2025, 8, 6),
        dt.date(2026, 8, 5),
    )
    assert leave_year(dt.date(2026, 12, 7), terms=TERMS, appointed_on=None) is None  # not recorded: not known
    fixed = Terms(**{**TERMS.__dict__, "from_appointment": False, "year_starts": (4, 1)})
    assert leave_year(dt.date(2027, 3, 31), terms=fixed, appointed_on=None) == (
        dt.date(2026, 4, 1),
        dt.date(2027, 3, 31),
    )
    # started on 29 February: the year starts on the 28th in other years
    assert leave_year(dt.date(2026, 3, 1), terms=TERMS, appointed_on=dt.date(2024, 2, 29)) == (
        dt.date(2026, 2, 28),
        dt.date(2027, 2, 27),
    )


def test_completed_years_count_the_anniversary() -> None:
    assert completed_years(dt.date(2021, 8, 6), dt.date(2026, 8, 6)) == 5
    assert completed_years(dt.date(2021, 8, 6), dt.date(2026, 8, 5)) == 4
    assert completed_years(dt.date(2027, 1, 1), dt.date(2026, 8, 5)) == 0


def test_a_day_of_leave_is_a_weekday_that_is_not_a_bank_holiday() -> None:
    # Monday 21 December 2026 to Sunday 3 January 2027: ten weekdays, of which 25 and 28 December and 1 January
    # are bank holidays: 7 days
    assert leave_days(dt.date(2026, 12, 21), dt.date(2027, 1, 3), HOLIDAYS) == 7
    assert leave_days(dt.date(2027, 1, 9), dt.date(2027, 1, 10), HOLIDAYS) == 0  # a weekend
    assert leave_days(dt.date(2027, 1, 11), dt.date(2027, 1, 11), HOLIDAYS) == 1


def test_notice_is_short_under_six_weeks() -> None:
    asked = dt.date(2026, 12, 7)
    assert not short_notice(asked_on=asked, first_day=dt.date(2027, 1, 18), notice_weeks=6)  # 42 days
    assert short_notice(asked_on=asked, first_day=dt.date(2027, 1, 17), notice_weeks=6)  # 41 days


def test_pro_rata_rounds_to_the_nearest_half_day() -> None:
    assert pro_rata(Decimal(27), Decimal("0.6"), Decimal("0.5")) == Decimal(16)  # 16.2
    assert pro_rata(Decimal(27), Decimal("0.7"), Decimal("0.5")) == Decimal("19")  # 18.9
    assert pro_rata(Decimal(32), Decimal("0.75"), Decimal("0.5")) == Decimal(24)
    assert pro_rata(Decimal(27), Decimal("0.65"), Decimal("0.5")) == Decimal("17.5")  # 17.55
