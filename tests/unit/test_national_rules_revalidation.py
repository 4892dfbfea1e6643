"""The revalidation regression table (docs/national-rules/revalidation.md): every row is read and medlead's answer
checked with the national values in data/revalidation.yaml. The expected answers are the table's, worked by hand from
the rules' words; none is computed here."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from medlead.revalidation import rules
from tests.national_rules import day, sections, yes

SECTIONS = sections("revalidation.md")
NATIONAL = yaml.safe_load((Path(__file__).resolve().parents[2] / "data" / "revalidation.yaml").read_text("utf-8"))


def test_the_table_has_its_three_sections_with_their_cases() -> None:
    assert {k: len(v) for k, v in SECTIONS.items()} == {
        "The appraisal year a day falls in": 6,
        "Deferring a submission date": 12,
        "Whether a recommendation is late": 3,
    }


def test_the_table_is_written_for_the_national_values() -> None:
    assert NATIONAL["defer"]["typical_months"] == [3, 12]
    assert NATIONAL["defer"]["gmc_advice_over_months"] == 12
    assert NATIONAL["appraisal_year_starts"] == [4, 1]


@pytest.mark.parametrize("row", SECTIONS["The appraisal year a day falls in"], ids=lambda r: f"case {r['Case']}")
def test_the_appraisal_year_runs_from_1_april(row: dict[str, str]) -> None:
    start = rules.appraisal_year(day(row["Day"]), NATIONAL["appraisal_year_starts"])
    assert f"{start}/{(start + 1) % 100:02d}" == row["Appraisal year"]


@pytest.mark.parametrize("row", SECTIONS["Deferring a submission date"], ids=lambda r: f"case {r['Case']}")
def test_a_deferral_is_refused_or_warned_about_as_the_rules_say(row: dict[str, str]) -> None:
    new = row["New submission date"]
    notes = rules.check_deferral(
        due=day(row["Submission date now"]),
        new_date=None if new == "–" else day(new),
        first_due=day(row["Cycle first due"]),
        typical=NATIONAL["defer"]["typical_months"],
        advice_over=NATIONAL["defer"]["gmc_advice_over_months"],
    )
    refused = any(n.level == "error" for n in notes)
    assert refused == yes(row["Refused"])
    if refused:
        assert row["Unusual length"] == row["GMC's advice needed"] == "–"
        return
    warnings = [n.text for n in notes if n.level == "warning"]
    assert any("outside the usual 3 to 12 months" in w for w in warnings) == yes(row["Unusual length"])
    assert any("the GMC's advice is needed" in w for w in warnings) == yes(row["GMC's advice needed"])
    assert len(warnings) == yes(row["Unusual length"]) + yes(row["GMC's advice needed"])


@pytest.mark.parametrize("row", SECTIONS["Whether a recommendation is late"], ids=lambda r: f"case {r['Case']}")
def test_a_recommendation_after_the_submission_date_is_late(row: dict[str, str]) -> None:
    notes = rules.check_on_time(due=day(row["Submission date"]), today=day(row["Recommendation made on"]))
    assert bool(notes) == yes(row["Late"])
