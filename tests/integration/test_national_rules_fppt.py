"""The fit and proper person test's regression table (docs/national-rules/fppt.md): for every row, whether medlead's
checklist for an assessment of that kind on that date asks for the check, for a trust that has confirmed no timing
(the national defaults). The answers are the table's, read from the framework; none is computed here."""

from __future__ import annotations

import pytest

from medlead.fitproper.services import checks_for
from medlead.organisation.models import Trust
from tests.national_rules import day, sections, yes

pytestmark = pytest.mark.django_db

ROWS = sections("fppt.md")[""]
KINDS = {"at appointment": "appointment", "annual": "annual"}


def test_the_table_has_its_cases() -> None:
    assert len(ROWS) == 14


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"case {r['Case']}")
def test_each_check_falls_when_the_table_says(trust: Trust, row: dict[str, str]) -> None:
    assert row["Source passage"], "every case names its source"
    every = {c["name"] for kind in KINDS.values() for c in checks_for(kind, on=day("1 November 2024"))}
    assert row["Check"] in every, "the table names the check as medlead's data does"
    asked = [
        c["name"] for c in checks_for(KINDS[row["Assessment"]], on=day(row["Date of the assessment"]), trust=trust)
    ]
    assert (row["Check"] in asked) is yes(row["Asked for"])
