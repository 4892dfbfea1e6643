"""The job-planning regression table (docs/national-rules/job-planning.md): every row is read and medlead's PA
arithmetic checked with the policy a trust that has confirmed nothing applies (the national values). The expected
PAs are the table's, worked by hand from the contracts' words; none is computed here."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from medlead.jobplans import pa
from medlead.jobplans.selectors import policy_for
from medlead.organisation.models import Trust
from tests.national_rules import sections, yes

SECTIONS = sections("job-planning.md")
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
CATEGORIES = {"DCC": pa.Category.DCC, "SPA": pa.Category.SPA}
TIMED = re.compile(r"(DCC|SPA) (\w+day) (\d\d):(\d\d) to (\d\d):(\d\d)(?: every (\d+) weeks)?")
ANNUAL = re.compile(r"(DCC|SPA) (\d+) hours a year(?:, (\d+) of them in premium time)?")


def _activities(text: str) -> list[pa.Activity]:
    out = []
    for n, part in enumerate(text.split(";")):
        if found := TIMED.fullmatch(part.strip()):
            cat, weekday, h1, m1, h2, m2, every = found.groups()
            out.append(
                pa.Activity(
                    category=CATEGORIES[cat],
                    title=f"activity {n}",
                    weekday=DAYS.index(weekday),
                    start=int(h1) * 60 + int(m1),
                    end=int(h2) * 60 + int(m2),
                    every_n_weeks=int(every or 1),
                )
            )
        else:
            annual = ANNUAL.fullmatch(part.strip())
            assert annual, part
            cat, hours, premium = annual.groups()
            out.append(
                pa.Activity(
                    category=CATEGORIES[cat],
                    title=f"activity {n}",
                    annual_hours=Decimal(hours),
                    annual_premium_hours=Decimal(premium) if premium else None,
                )
            )
    return out


def test_the_table_has_its_cases() -> None:
    assert {k: len(v) for k, v in SECTIONS.items()} == {"What a week's activities are worth": 13}


@pytest.mark.django_db
@pytest.mark.parametrize("row", SECTIONS["What a week's activities are worth"], ids=lambda r: f"case {r['Case']}")
def test_a_job_plans_pas_are_counted_by_the_contract_in_force_on_1_april(row: dict[str, str], trust: Trust) -> None:
    policy = policy_for(trust, grade=row["Grade"].replace(" ", "_"), year=int(row["Plan year"]))
    assert policy.contract == row["Contract"]
    activities = _activities(row["Activities"])
    summary = pa.summarise(activities, policy)
    assert (summary.by_category[pa.Category.DCC], summary.by_category[pa.Category.SPA], summary.total) == (
        Decimal(row["Direct clinical care"]),
        Decimal(row["Supporting professional activities"]),
        Decimal(row["Total"]),
    )
    findings = {f.check for f in pa.check(activities, policy, contracted_pas=Decimal(row["Contracted"]))}
    assert ("total_vs_contract" not in findings) == yes(row["Adds up to the contract"])
    assert ("spa_below_threshold" in findings) == yes(row["SPA below the minimum"])
    assert findings <= {"total_vs_contract", "spa_below_threshold"}
