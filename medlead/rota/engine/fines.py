"""Guardian fines: the penalty for hours worked beyond a limit, and its split. Pure: no Django import.

The multipliers are data (``data/guardian_fines.yaml``, marked NOT VERIFIED there): the hours of the breach are paid
at ``penalty_multiplier`` times the doctor's basic hourly rate, of which the doctor receives ``doctor_multiplier``
times and the guardian's fund ``guardian_multiplier`` times.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

PENNY = Decimal("0.01")


@dataclass(frozen=True)
class Rates:
    penalty_multiplier: Decimal
    doctor_multiplier: Decimal
    guardian_multiplier: Decimal

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> Rates:
        rates = cls(
            *(Decimal(str(data[k])) for k in ("penalty_multiplier", "doctor_multiplier", "guardian_multiplier"))
        )
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
