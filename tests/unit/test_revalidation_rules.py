"""Appraisal and revalidation rules (pure)."""

from __future__ import annotations

import datetime as dt

from medlead.revalidation.rules import (
    Candidate,
    add_months,
    appraisal_year,
    check_criteria,
    check_deferral,
    missing_in_cycle,
    suggest_appraisers,
)

TYPES = [
    {"code": "cpd", "name": "CPD", "per": "year"},
    {"code": "colleague_feedback", "name": "Feedback from colleagues", "per": "cycle"},
]


def test_appraisal_year_runs_april_to_march() -> None:
    assert appraisal_year(dt.date(2026, 3, 31), (4, 1)) == 2025
    assert appraisal_year(dt.date(2026, 4, 1), (4, 1)) == 2026


def test_add_months_keeps_the_day_where_it_can() -> None:
    assert add_months(dt.date(2026, 1, 31), 1) == dt.date(2026, 2, 28)
    assert add_months(dt.date(2026, 11, 15), 60) == dt.date(2031, 11, 15)


def test_deferral_outside_3_to_12_months_or_over_12_in_total_warns() -> None:
    due = dt.date(2027, 1, 10)

    def check(new_date: dt.date, first_due: dt.date = due) -> list[str]:
        return [
            n.text
            for n in check_deferral(due=due, new_date=new_date, first_due=first_due, typical=[3, 12], advice_over=12)
        ]

    assert check(add_months(due, 6)) == []
    assert check(dt.date(2027, 4, 10)) == []  # exactly 3 months: usual
    assert "outside the usual 3 to 12 months" in check(dt.date(2027, 4, 9))[0]  # a day short of 3 months
    assert check(dt.date(2028, 1, 10)) == []  # exactly 12 months in total: no advice needed
    beyond = check(dt.date(2028, 1, 11))  # one day more than 12 months
    assert any("GMC's advice is needed" in n for n in beyond)
    # a second deferral: 8 months already (first due 10 May 2026), 6 more = 14 months in total
    assert any("GMC's advice is needed" in n for n in check(add_months(due, 6), first_due=dt.date(2026, 5, 10)))
    # the 12.5-month gap that rounding left silent: 12 months and 15 days in total
    assert any("GMC's advice is needed" in n for n in check(dt.date(2027, 6, 25), first_due=dt.date(2026, 6, 10)))
    assert check_deferral(due=due, new_date=due, first_due=due, typical=[3, 12], advice_over=12)[0].level == "error"


def test_non_engagement_needs_every_criterion() -> None:
    codes = ["a", "b", "c"]
    assert check_criteria(codes, ["a", "b", "c"], "non-engagement") == []
    assert check_criteria(codes, ["a", "b"], "non-engagement")[0].level == "error"


def test_missing_supporting_information_per_year_and_per_cycle() -> None:
    gaps = missing_in_cycle({2024: {"cpd"}, 2025: set()}, [2024, 2025], TYPES)
    assert gaps == [
        "CPD: none for 2025/26.",
        "Feedback from colleagues: none in this revalidation cycle (needed at least once per cycle).",
    ]
    assert missing_in_cycle({2024: {"cpd", "colleague_feedback"}, 2025: {"cpd"}}, [2024, 2025], TYPES) == []


def test_appraiser_suggestions_refuse_with_reasons_and_rank_by_specialty_and_load() -> None:
    cands = [
        Candidate(1, "Dr Same Specialty", 10, 0, 12),
        Candidate(2, "Dr Busy", 20, 11, 12),
        Candidate(3, "Dr Free", 20, 2, 12),
        Candidate(4, "Dr Conflicted", 20, 0, 12),
        Candidate(5, "Dr Reciprocal", 20, 0, 12),
        Candidate(6, "Dr Again", 20, 0, 12),
        Candidate(7, "Dr Full", 20, 12, 12),
        Candidate(99, "The doctor", 10, 0, 12),
    ]
    ok, refused = suggest_appraisers(
        doctor_id=99,
        doctor_specialty_id=10,
        candidates=cands,
        conflicts={(4, 99)},
        appraised_by={5: 99},
        consecutive_years={6: 3},
        max_consecutive=3,
    )
    assert [c.name for c, _ in ok] == ["Dr Free", "Dr Busy", "Dr Same Specialty"]
    reasons = {c.name: why for c, why in refused}
    assert reasons == {
        "Dr Conflicted": "a conflict of interest is registered",
        "Dr Reciprocal": "the doctor appraises them: no reciprocal appraisals",
        "Dr Again": "has appraised the doctor 3 years in a row: change appraiser after three (the responsible officer "
        "may extend, with a reason)",
        "Dr Full": "is at their limit of 12 appraisals",
    }


def test_a_late_recommendation_is_named_the_day_after_the_submission_date() -> None:
    from medlead.revalidation.rules import check_on_time

    due = dt.date(2027, 1, 15)
    assert check_on_time(due=due, today=due) == []
    assert "has passed" in check_on_time(due=due, today=dt.date(2027, 1, 16))[0].text


def test_at_least_two_appraisers_in_a_cycle() -> None:
    from medlead.revalidation.rules import appraisers_in_cycle

    assert appraisers_in_cycle({2022: 7}, 2) == []  # one appraisal: too early to say
    assert "same appraiser" in appraisers_in_cycle({2022: 7, 2023: 7, 2024: 7}, 2)[0]
    assert appraisers_in_cycle({2022: 7, 2023: 7, 2024: 9}, 2) == []
    assert appraisers_in_cycle({2022: None, 2023: 7}, 2) == []  # an appraiser not recorded is not counted
