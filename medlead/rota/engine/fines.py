"""Guardian fines: the penalty for hours worked beyond a limit, its split, and the missed-breaks rule, each judged by
the rules in force on the breach's date. Pure: no Django import.

The figures are data (``data/guardian_fines.yaml``): the hours of the breach are paid at ``penalty_multiplier`` times
the doctor's basic hourly rate, of which the doctor receives ``doctor_multiplier`` times and the guardian's fund
``guardian_multiplier`` times. Each version of the 2016 terms has its own entry under ``calculation`` (version 12
until 3 February 2026, version 13 from 4 February 2026): ``calculation_on(day)`` gives the one in force. Since the
2019 amendments a fine is also due where a doctor's breaks are missed on more than a quarter of occasions across a
4-week reference period (``BreaksRule``).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from medlead.core.reference_data import in_force, read

PENNY = Decimal("0.01")
FILE = "guardian_fines.yaml"
MULTIPLIERS = ("penalty_multiplier", "doctor_multiplier", "guardian_multiplier")
MISSED_BREAKS = "missed_breaks"


@dataclass(frozen=True)
class Rates:
    penalty_multiplier: Decimal
    doctor_multiplier: Decimal
    guardian_multiplier: Decimal

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Rates:
        rates = cls(*(Decimal(str(data[k])) for k in MULTIPLIERS))
        if rates.doctor_multiplier + rates.guardian_multiplier != rates.penalty_multiplier:
            raise ValueError("The doctor's and the guardian's shares must add up to the penalty rate.")
        return rates


@dataclass(frozen=True)
class Fine:
    total: Decimal
    to_doctor: Decimal
    to_guardian: Decimal


def compute(hours: Decimal, hourly_rate: Decimal, rates: Rates) -> Fine:
    """The fine for ``hours`` of breach at a basic ``hourly_rate``; the guardian's share takes any rounding penny,
    so the two shares always add up to the total."""
    if hours <= 0 or hourly_rate <= 0:
        raise ValueError("The hours and the hourly rate must be more than zero.")
    total = (hours * hourly_rate * rates.penalty_multiplier).quantize(PENNY, rounding=ROUND_HALF_UP)
    to_doctor = (hours * hourly_rate * rates.doctor_multiplier).quantize(PENNY, rounding=ROUND_HALF_UP)
    return Fine(total=total, to_doctor=to_doctor, to_guardian=total - to_doctor)


def calculation_on(day: dt.date) -> dict[str, Any]:
    """The national entry by which a fine for a breach on ``day`` is computed (its ``code`` names the version of the
    terms). ``LookupError`` for a day before the 2016 terms, when no guardian fine existed."""
    found = in_force(read(FILE)["calculation"], day)
    if not found:
        raise LookupError(f"No guardian fine applies to a breach on {day}: the 2016 terms had not started.")
    return found[-1]


def rates_on(day: dt.date) -> Rates:
    """The national penalty rate and split for a breach on ``day`` (a trust's confirmed figures, where it has any, are
    read by ``rota.selectors.fine_rates``)."""
    return Rates.from_data(calculation_on(day))


@dataclass(frozen=True)
class BreaksRule:
    """A fine is due where the share of occasions on which breaks were missed, across one reference period, is more
    than ``missed_share_above``."""

    missed_share_above: Fraction
    reference_period_weeks: int

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> BreaksRule:
        share = Fraction(Decimal(str(data["missed_share_above"])))
        weeks = int(data["reference_period_weeks"])
        if not 0 <= share < 1 or weeks < 1:
            raise ValueError("The share of breaks missed must be from 0 to less than 1, and the period 1 week or more.")
        return cls(share, weeks)


def breaks_rule_on(day: dt.date) -> BreaksRule | None:
    """The national missed-breaks rule in force on ``day``; None before the 2019 amendments added it."""
    found = [c for c in in_force(read(FILE)["categories"], day) if c["code"] == MISSED_BREAKS]
    return BreaksRule.from_data(found[-1]) if found else None


def missed_breaks_fine_due(occasions: int, missed: int, rule: BreaksRule) -> bool:
    """Whether a fine is due when breaks were missed on ``missed`` of the ``occasions`` on which breaks were due in one
    reference period: only when the share missed is more than the rule's (2 of 8 is a quarter: no fine; 3 of 8 is
    more: a fine)."""
    if occasions < 1 or not 0 <= missed <= occasions:
        raise ValueError("Give the occasions on which breaks were due (1 or more) and how many of them were missed.")
    return Fraction(missed, occasions) > rule.missed_share_above
