"""The regression table of exception reporting and fines (docs/national-rules/exception-reporting-and-fines.md): every
row is read and medlead's answer checked against it, so what a medical workforce lead reads there is what medlead
does. The expected values are the table's, worked by hand from the sources it quotes; none is computed here."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from medlead.accounts.models import Role
from medlead.organisation.models import Trust
from medlead.rota.engine import fines
from medlead.rota.selectors import fine_categories, fine_rates, missed_breaks_fine_due
from medlead.rulebook import services
from tests.factories import make_user
from tests.national_rules import day as _day
from tests.national_rules import money as _money
from tests.national_rules import sections
from tests.national_rules import yes as _yes

pytestmark = pytest.mark.django_db

SECTIONS = sections("exception-reporting-and-fines.md")
CODES = {name: code for code, name in fine_categories().items()}


def test_the_table_has_its_three_sections_with_their_cases() -> None:
    # an emptied or renamed section would otherwise check nothing
    assert {k: len(v) for k, v in SECTIONS.items()} == {
        "Fines for hours and rest": 5,
        "Missed breaks": 6,
        "Which fines the guardian can levy on a date": 7,
    }


@pytest.mark.parametrize("row", SECTIONS["Fines for hours and rest"], ids=lambda r: f"case {r['Case']}")
def test_a_fine_for_hours_or_rest_is_computed_by_the_terms_in_force_on_its_date(
    trust: Trust, row: dict[str, str]
) -> None:
    day = _day(row["Date of the breach"])
    assert row["Breach"] in CODES, "the table names the breach as medlead's data does"
    assert row["Breach"] in fine_categories(on=day).values()
    assert fines.calculation_on(day)["code"] == "v" + row["Terms applied"].removeprefix("Version ")
    fine = fines.compute(Decimal(row["Hours of the breach"]), _money(row["Basic hourly rate"]), fine_rates(trust, day))
    assert (fine.total, fine.to_doctor, fine.to_guardian) == (
        _money(row["Fine"]),
        _money(row["To the doctor"]),
        _money(row["To the guardian's fund"]),
    )


@pytest.mark.parametrize("row", SECTIONS["Missed breaks"], ids=lambda r: f"case {r['Case']}")
def test_breaks_missed_on_more_than_a_quarter_of_occasions_attract_a_fine(trust: Trust, row: dict[str, str]) -> None:
    day = _day(row["Last day of the 4-week reference period"])
    due = missed_breaks_fine_due(
        trust,
        day,
        occasions=int(row["Occasions breaks were due"]),
        missed=int(row["Occasions breaks were missed"]),
    )
    assert due is _yes(row["Fine due"])


@pytest.mark.parametrize(
    "row", SECTIONS["Which fines the guardian can levy on a date"], ids=lambda r: f"case {r['Case']}"
)
def test_the_fines_the_guardian_can_levy_are_those_in_force_on_the_events_date(row: dict[str, str]) -> None:
    day = _day(row["Date of the event"])
    assert row["Breach"] in CODES, "the table names the breach as medlead's data does"
    assert (CODES[row["Breach"]] in fine_categories(on=day)) is _yes(row["Can be fined"])


def _confirm(trust: Trust, key: str, value: str, applies_from: dt.date) -> None:
    services.confirm(
        actor=make_user((Role.MEDICAL_STAFFING, trust), username=f"lead-{key}"),
        trust=trust,
        file="guardian_fines.yaml",
        key=key,
        value=value,
        applies_from=applies_from,
        document_title="Terms and conditions of service for NHS resident doctors (England) 2016, version 13",
        document_date=dt.date(2025, 9, 19),
        document_detail="schedule 5",
    )


def test_a_trusts_figures_for_version_13_judge_march_2026_and_leave_january_2026_to_version_12(trust: Trust) -> None:
    # the trust's copy of version 13 gives (say) 2 times the basic rate to the doctor and 2 to the guardian, from the
    # day version 13 came in; the same breach (2 hours at £24.50) in January is still version 12's 1.5 and 2.5
    _confirm(trust, "calculation.v13.doctor_multiplier", "2", dt.date(2026, 2, 4))
    _confirm(trust, "calculation.v13.guardian_multiplier", "2", dt.date(2026, 2, 4))
    january = fines.compute(Decimal("2"), Decimal("24.50"), fine_rates(trust, dt.date(2026, 1, 15)))
    march = fines.compute(Decimal("2"), Decimal("24.50"), fine_rates(trust, dt.date(2026, 3, 15)))
    assert (january.total, january.to_doctor, january.to_guardian) == (
        Decimal("196.00"),
        Decimal("73.50"),
        Decimal("122.50"),
    )
    assert (march.total, march.to_doctor, march.to_guardian) == (Decimal("196.00"), Decimal("98.00"), Decimal("98.00"))


def test_a_confirmation_of_version_12s_figures_says_nothing_of_version_13s(trust: Trust) -> None:
    # a trust that changed version 12's split from 2016 has confirmed nothing about version 13: March 2026 is judged
    # by version 13's national default until the trust confirms it
    _confirm(trust, "calculation.v12.doctor_multiplier", "1", dt.date(2016, 8, 3))
    _confirm(trust, "calculation.v12.guardian_multiplier", "3", dt.date(2016, 8, 3))
    assert fine_rates(trust, dt.date(2026, 1, 15)).doctor_multiplier == Decimal("1")
    assert fine_rates(trust, dt.date(2026, 3, 15)).doctor_multiplier == Decimal("1.5")


def test_a_trusts_missed_breaks_threshold_judges_its_reference_periods(trust: Trust) -> None:
    # a trust whose copy of schedule 3 reads "at least 25%" confirms a lower threshold: 2 of 8 is then fined
    _confirm(trust, "categories.missed_breaks.missed_share_above", "0.24", dt.date(2026, 1, 1))
    assert missed_breaks_fine_due(trust, dt.date(2026, 3, 31), occasions=8, missed=2)
    assert not missed_breaks_fine_due(trust, dt.date(2025, 12, 31), occasions=8, missed=2)
