"""Leave arithmetic for resident doctors (pure: no Django): the leave year, the entitlement by years of NHS service,
pro rata for less than full time, the days a request takes and whether its notice is short.

The terms' values come in as ``Terms`` (read by ``leave.selectors.terms`` from ``data/leave.yaml``, each as the
trust applies it: ADR 0018). The figures: 27 days on first appointment to the NHS, 32 after five years' completed
NHS service, on a standard working week of five days, pro rata for less than full time (the 2016 terms and
conditions, Schedule 9, as Health Education England quotes them); public holidays are England's bank holidays in
the leave year, pro rata likewise."""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal

ONE_DAY = dt.timedelta(days=1)


@dataclasses.dataclass(frozen=True)
class Terms:
    first_appointment_days: Decimal
    after_service_days: Decimal
    service_years: int
    notice_weeks: int
    study_leave_days: Decimal
    carry_over_max_days: Decimal
    pro_rata_step: Decimal
    from_appointment: bool
    year_starts: tuple[int, int]  # month, day


def _anniversary(year: int, month: int, day: int) -> dt.date:
    """The day ``month``/``day`` falls in ``year`` (29 February is the 28th in other years)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return dt.date(year, month, day - 1)


def leave_year(on: dt.date, *, terms: Terms, appointed_on: dt.date | None) -> tuple[dt.date, dt.date] | None:
    """The leave year ``on`` falls in, first and last day: from the doctor's start with the trust each year (then
    ``None`` while that start is not recorded), or from the trust's fixed day."""
    if terms.from_appointment:
        if appointed_on is None:
            return None
        month, day = appointed_on.month, appointed_on.day
    else:
        month, day = terms.year_starts
    start = _anniversary(on.year, month, day)
    if start > on:
        start = _anniversary(on.year - 1, month, day)
    end = _anniversary(start.year + 1, month, day) - ONE_DAY
    return start, end


def completed_years(since: dt.date, on: dt.date) -> int:
    """Whole years completed from ``since`` to ``on`` (the anniversary itself completes a year)."""
    if on < since:
        return 0
    years = on.year - since.year
    return years if (on.month, on.day) >= (since.month, since.day) else years - 1


def full_time_days(*, terms: Terms, service_from: dt.date, year_start: dt.date) -> Decimal:
    """A full-time doctor's annual leave for the leave year starting ``year_start``: the higher figure once the
    years of NHS service are completed by the year's first day (medlead's reading, for the trust to confirm)."""
    years = completed_years(service_from, year_start)
    return terms.after_service_days if years >= terms.service_years else terms.first_appointment_days


def pro_rata(days: Decimal, fraction: Decimal, step: Decimal) -> Decimal:
    """``days`` for a doctor working ``fraction`` of full time, rounded to the nearest ``step`` (half up)."""
    exact = Decimal(days) * Decimal(fraction)
    if step <= 0:
        return exact
    return (exact / step).quantize(Decimal(1), rounding=ROUND_HALF_UP) * step


def leave_days(first: dt.date, last: dt.date, holidays: Iterable[dt.date]) -> int:
    """The days of leave a request from ``first`` to ``last`` takes: the weekdays that are not bank holidays (a
    standard working week of five days; a bank holiday is counted in the public holidays instead)."""
    off = set(holidays)
    count, day = 0, first
    while day <= last:
        if day.weekday() < 5 and day not in off:
            count += 1
        day += ONE_DAY
    return count


def short_notice(*, asked_on: dt.date, first_day: dt.date, notice_weeks: int) -> bool:
    """Whether leave starting ``first_day`` asked for on ``asked_on`` gives less than ``notice_weeks`` weeks'
    notice."""
    return (first_day - asked_on).days < notice_weeks * 7


@dataclasses.dataclass(frozen=True)
class Entitlement:
    """A doctor's annual leave in one leave year, in days."""

    year_start: dt.date
    year_end: dt.date
    annual: Decimal  # pro rata, for this year's service
    public_holidays: Decimal  # pro rata
    carried_over: Decimal
    taken: Decimal  # approved
    waiting: Decimal  # asked for, not decided yet

    @property
    def total(self) -> Decimal:
        return self.annual + self.public_holidays + self.carried_over

    @property
    def annual_total(self) -> Decimal:
        """What annual leave requests are counted against: annual leave and any carried over (public holidays are
        taken on their own days)."""
        return self.annual + self.carried_over

    @property
    def remaining(self) -> Decimal:
        return self.annual_total - self.taken

    @property
    def remaining_if_approved(self) -> Decimal:
        return self.remaining - self.waiting


def entitlement(
    *,
    terms: Terms,
    year: tuple[dt.date, dt.date],
    service_from: dt.date,
    fraction: Decimal,
    holidays: Iterable[dt.date],
    carried_over: Decimal = Decimal(0),
    taken: Decimal = Decimal(0),
    waiting: Decimal = Decimal(0),
) -> Entitlement:
    """The doctor's annual leave in the leave year ``year``: their full-time days by service, pro rata, the bank
    holidays in the year pro rata, and what they carried over (at most the terms' carry-over)."""
    start, end = year
    in_year = sum(1 for d in set(holidays) if start <= d <= end)
    return Entitlement(
        year_start=start,
        year_end=end,
        annual=pro_rata(
            full_time_days(terms=terms, service_from=service_from, year_start=start), fraction, terms.pro_rata_step
        ),
        public_holidays=pro_rata(Decimal(in_year), fraction, terms.pro_rata_step),
        carried_over=min(Decimal(carried_over), terms.carry_over_max_days),
        taken=Decimal(taken),
        waiting=Decimal(waiting),
    )
