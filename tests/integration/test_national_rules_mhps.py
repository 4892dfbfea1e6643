"""The MHPS regression table (docs/national-rules/mhps.md): every row is read and medlead's answer checked, with the
national values (a trust that has confirmed none). The expected dates and day counts are the table's, worked by hand
from MHPS's words; none is computed here."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError

from medlead.accounts.models import Role, User
from medlead.concerns import services
from medlead.concerns.models import Case, Measure
from medlead.concerns.selectors import excluded_since, timetable
from medlead.organisation.models import Grade, Trust
from tests.factories import HoldingFactory, PersonFactory, PostFactory, make_user, post_type
from tests.national_rules import day, sections, yes

SECTIONS = sections("mhps.md")
PERIOD = re.compile(
    r"(immediate|formal) from (\d+ \w+ \d{4}), review by (\d+ \w+ \d{4})(?:, (renewed|lifted) on (\d+ \w+ \d{4}))?"
)


def _maybe_day(text: str) -> dt.date | None:
    return None if text == "–" else day(text)


def test_the_table_has_its_three_sections_with_their_cases() -> None:
    assert {k: len(v) for k, v in SECTIONS.items()} == {
        "The investigation's timetable": 6,
        "How long an exclusion has lasted": 5,
        "How long a period may run before its review": 4,
    }


@pytest.mark.parametrize("row", SECTIONS["The investigation's timetable"], ids=lambda r: f"case {r['Case']}")
def test_the_investigations_timetable_counts_from_the_case_investigators_appointment(
    row: dict[str, str], trust: Trust
) -> None:
    t = timetable(
        trust=trust,  # a trust that has confirmed none of the values: the national ones apply
        appointed_on=day(row["Case investigator appointed"]),
        report_to_doctor_on=_maybe_day(row["Doctor received the report"]),
    )
    assert (t.complete_by, t.report_due, t.comments_due) == (
        day(row["Investigation complete by"]),
        day(row["Report to the case manager by"]),
        _maybe_day(row["Doctor's comments by"]),
    )


def _periods(text: str) -> list[Measure]:
    out = []
    for n, part in enumerate(text.split(";"), start=1):
        found = PERIOD.fullmatch(part.strip())
        assert found, part
        kind, first, review_by, outcome, reviewed = found.groups()
        out.append(
            Measure(
                pk=n,
                kind=kind,
                starts_on=day(first),
                review_by=day(review_by),
                reviewed_on=day(reviewed) if reviewed else None,
                review_outcome=outcome or "",
            )
        )
    return out


@pytest.mark.parametrize("row", SECTIONS["How long an exclusion has lasted"], ids=lambda r: f"case {r['Case']}")
def test_an_exclusion_is_counted_from_its_first_day(row: dict[str, str]) -> None:
    on = day(row["On"])
    since = excluded_since(_periods(row["Periods"]), on=on)
    assert since == _maybe_day(row["Excluded since"])
    assert (str((on - since).days) if since else "–") == row["Days excluded"]


@pytest.fixture
def md(trust: Trust) -> User:
    person = PersonFactory(trust=trust, grade=Grade.CONSULTANT)
    HoldingFactory(post=PostFactory(trust=trust, post_type=post_type("medical_director")), person=person)
    return make_user((Role.MEDICAL_DIRECTOR, trust), (Role.DOCTOR, trust), person=person)


def _case(md: User, trust: Trust) -> Case:
    assert md.person is not None
    case = services.case_open(
        actor=md,
        doctor=PersonFactory(trust=trust, grade=Grade.CONSULTANT),
        raised_by="Clinical director",
        raised_on=dt.date(2026, 2, 1),
        categories=["conduct"],
        source="colleague",
        summary="x",
        case_manager=md.person,
        today=dt.date(2026, 2, 1),
    )
    # Practitioner Performance Advice consulted before any formal exclusion, as MHPS asks
    services.advice_add(
        actor=md, case=case, contacted_on=dt.date(2026, 2, 1), adviser="PPA", summary="x", today=dt.date(2026, 2, 1)
    )
    return case


@pytest.mark.django_db
@pytest.mark.parametrize(
    "row", SECTIONS["How long a period may run before its review"], ids=lambda r: f"case {r['Case']}"
)
def test_an_exclusion_period_may_run_only_so_long_before_its_review(
    trust: Trust, md: User, row: dict[str, str]
) -> None:
    case = _case(md, trust)
    add = {"actor": md, "case": case, "kind": row["Measure"]}
    if yes(row["Allowed"]):
        services.measure_add(**add, starts_on=day(row["First day"]), review_by=day(row["Review by"]))
    else:
        with pytest.raises(ValidationError, match="review_by"):
            services.measure_add(**add, starts_on=day(row["First day"]), review_by=day(row["Review by"]))
